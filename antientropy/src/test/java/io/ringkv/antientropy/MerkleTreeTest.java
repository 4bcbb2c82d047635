package io.ringkv.antientropy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MerkleTreeTest {

    private static final TreeShape SHAPE = TreeShape.forPartition(64);

    @Test
    void aNewTreeIsNotBuiltAndEqualsEveryEmptyTree() {
        MerkleTree tree = new MerkleTree(SHAPE);

        assertThat(tree.isBuilt()).isFalse();
        assertThat(tree.builtAtMillis()).isEqualTo(MerkleTree.NEVER);
        assertThat(tree.root()).isEqualTo(new MerkleTree(SHAPE).root());
    }

    @Test
    void undoingAWriteRestoresTheRoot() {
        MerkleTree tree = new MerkleTree(SHAPE);
        long empty = tree.root();
        long entry = EntryHash.of(Replica.key("a"), 7);

        tree.update(5, EntryHash.ABSENT, entry);
        long written = tree.root();
        tree.update(5, entry, EntryHash.ABSENT);

        assertThat(written).isNotEqualTo(empty);
        assertThat(tree.root()).isEqualTo(empty);
        assertThat(tree.hash(SHAPE.leafLevel(), 5)).isZero();
    }

    @Test
    void aWriteChangesOnlyItsLeafAndItsAncestors() {
        MerkleTree tree = new MerkleTree(SHAPE);
        long[] before = tree.hashes(2, new int[] {0, 1, 2, 3});

        tree.update(17, EntryHash.ABSENT, 99);

        long[] after = tree.hashes(2, new int[] {0, 1, 2, 3});
        assertThat(after[1]).isNotEqualTo(before[1]);
        assertThat(new long[] {after[0], after[2], after[3]}).containsExactly(before[0], before[2], before[3]);
    }

    @Test
    void onlyOneRebuildRunsAtATime() {
        MerkleTree tree = new MerkleTree(SHAPE);
        MerkleTree.Rebuild first = tree.startRebuild();

        assertThatThrownBy(tree::startRebuild).isInstanceOf(IllegalStateException.class);
        tree.abandonRebuild(first);
        assertThat(tree.isRebuilding()).isFalse();
        assertThat(tree.isBuilt()).isFalse();
        assertThatThrownBy(() -> tree.finishRebuild(first, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new MerkleTree(SHAPE).finishRebuild(tree.startRebuild(), 1))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnbuiltTreeIsNotSaved() {
        assertThatThrownBy(() -> MerkleTreeCodec.encode(new MerkleTree(SHAPE))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDamagedSaveIsRefused() {
        MerkleTree tree = new MerkleTree(SHAPE);
        MerkleTree.Rebuild r = tree.startRebuild();
        r.add(3, 12345);
        tree.finishRebuild(r, 1_700_000_000_000L);
        byte[] saved = MerkleTreeCodec.encode(tree);

        byte[] flipped = saved.clone();
        flipped[100] ^= 0x10;
        assertThatThrownBy(() -> MerkleTreeCodec.decode(flipped)).isInstanceOf(TreeDataException.class)
                .hasMessageContaining("checksum");
        assertThatThrownBy(() -> MerkleTreeCodec.decode(java.util.Arrays.copyOf(saved, saved.length - 1)))
                .isInstanceOf(TreeDataException.class);
        assertThatThrownBy(() -> MerkleTreeCodec.decode(new byte[3])).isInstanceOf(TreeDataException.class);
    }
}
