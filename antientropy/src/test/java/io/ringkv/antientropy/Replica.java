package io.ringkv.antientropy;

import io.ringkv.ring.Ring;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model replica for tests: keys (by UTF-8 bytes, unsigned order, as a store scans them) and their
 * state hashes, a leaf for every key, and what a node would build from them.
 */
final class Replica {

    final TreeShape shape;
    final TreeMap<byte[], Long> data = new TreeMap<>(Arrays::compareUnsigned);

    Replica(TreeShape shape) {
        this.shape = shape;
    }

    Replica copy() {
        Replica r = new Replica(shape);
        r.data.putAll(data);
        return r;
    }

    static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    /** The leaf of a key: its ring hash spread over the leaves (any fixed function would do). */
    int leafOf(byte[] key) {
        return (int) Long.remainderUnsigned(Ring.keyHash(key), shape.leafCount());
    }

    long entryOf(byte[] key) {
        Long state = data.get(key);
        return state == null ? EntryHash.ABSENT : EntryHash.of(key, state);
    }

    /** Stores (or with a null state, deletes) a key, telling {@code tree} about it as a node would. */
    void write(MerkleTree tree, byte[] key, Long state) {
        long before = entryOf(key);
        if (state == null) {
            data.remove(key);
        } else {
            data.put(key, state);
        }
        if (tree != null) {
            tree.update(leafOf(key), before, entryOf(key));
        }
    }

    /** A tree built by a full scan of this replica. */
    MerkleTree build() {
        MerkleTree tree = new MerkleTree(shape);
        MerkleTree.Rebuild r = tree.startRebuild();
        scanInto(r, data);
        tree.finishRebuild(r, 1);
        return tree;
    }

    void scanInto(MerkleTree.Rebuild rebuild, Map<byte[], Long> snapshot) {
        snapshot.forEach((k, state) -> rebuild.add(leafOf(k), EntryHash.of(k, state)));
    }

    /** This replica's listing of one leaf, as a node lists a segment. */
    SegmentListing listing(int leaf) {
        SegmentListing.Builder b = SegmentListing.builder(leaf);
        data.forEach((k, state) -> {
            if (leafOf(k) == leaf) {
                b.add(k, state);
            }
        });
        return b.build();
    }

    static void assertSameTree(MerkleTree a, MerkleTree b) {
        for (int level = 0; level < a.shape().levels(); level++) {
            for (int i = 0; i < a.shape().size(level); i++) {
                if (a.hash(level, i) != b.hash(level, i)) {
                    throw new AssertionError("trees differ at node " + i + " of level " + level);
                }
            }
        }
    }
}
