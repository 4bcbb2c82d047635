package io.ringkv.antientropy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TreeDiffTest {

    private static final TreeShape SHAPE = TreeShape.forPartition(64);

    @Test
    void equalTreesTakeOneRootComparison() {
        TreeDiff diff = new TreeDiff(SHAPE, 256);
        TreeDiff.Query q = diff.next();

        assertThat(q.level()).isZero();
        assertThat(q.nodes()).containsExactly(0);
        diff.answer(new long[] {7}, new long[] {7});
        assertThat(diff.isDone()).isTrue();
        assertThat(diff.differingLeaves()).isEmpty();
        assertThatThrownBy(diff::next).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void descendsOnlyIntoDifferingNodes() {
        MerkleTree a = new MerkleTree(SHAPE);
        MerkleTree b = new MerkleTree(SHAPE);
        b.update(700, EntryHash.ABSENT, 1);
        b.update(3, EntryHash.ABSENT, 2);

        TreeDiff diff = new TreeDiff(SHAPE, 10);
        int queries = 0;
        while (!diff.isDone()) {
            TreeDiff.Query q = diff.next();
            queries++;
            diff.answer(a.hashes(q.level(), q.nodes()), b.hashes(q.level(), q.nodes()));
        }

        assertThat(diff.differingLeaves()).containsExactly(3, 700);
        // root 1, level 1: 4 nodes, level 2: 2 x 16, leaves: 2 x 16 (in queries of at most 10)
        assertThat(diff.hashesCompared()).isEqualTo(1 + 4 + 32 + 32);
        assertThat(queries).isEqualTo(1 + 1 + 4 + 4);
    }

    @Test
    void refusesAnswersOutOfTurnOrOfTheWrongSize() {
        TreeDiff diff = new TreeDiff(SHAPE, 10);

        assertThatThrownBy(() -> diff.answer(new long[1], new long[1])).isInstanceOf(IllegalStateException.class);
        diff.next();
        assertThatThrownBy(diff::next).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> diff.answer(new long[1], new long[2])).isInstanceOf(IllegalArgumentException.class);
    }
}
