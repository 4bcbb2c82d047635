package io.ringkv.antientropy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The laws the issue asks for: equal data, equal roots; exact diffs; incremental equals rebuilt. */
class MerkleTreePropertiesTest {

    /** A write of the model: key {@code k<key>} gets state {@code state}, or is deleted when null. */
    record Write(int key, Long state) {
    }

    @Provide
    Arbitrary<TreeShape> shapes() {
        // Arbitrary geometries, and the real ones of partitions; the largest (a ring of one partition,
        // 65536 leaves) is slow to compare node by node, so it comes up less often.
        return Arbitraries.frequencyOf(
                Tuple.of(10, Combinators.combine(Arbitraries.integers().between(1, 3000), Arbitraries.of(2, 3, 4, 16, 64))
                        .as(TreeShape::of)),
                Tuple.of(8, Arbitraries.of(16, 64, 4096).map(TreeShape::forPartition)),
                Tuple.of(1, Arbitraries.just(TreeShape.forPartition(1))));
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        // Few distinct keys and states, so keys are rewritten, deleted and restored to earlier states.
        Arbitrary<Write> write = Combinators.combine(Arbitraries.integers().between(0, 120),
                Arbitraries.longs().between(0, 6).injectNull(0.2)).as(Write::new);
        return write.list().ofMaxSize(250);
    }

    private static byte[] key(int k) {
        return Replica.key("k" + k);
    }

    @Property
    void treesOfTheSameDataHaveEqualRootsWhateverTheWriteOrder(@ForAll("shapes") TreeShape shape,
                                                               @ForAll("writes") List<Write> writes, @ForAll long seed) {
        Replica first = new Replica(shape);
        MerkleTree incremental = new MerkleTree(shape);
        for (Write w : writes) {
            first.write(incremental, key(w.key()), w.state());
        }
        // The same final data, written in another order by another replica.
        List<Map.Entry<byte[], Long>> entries = new ArrayList<>(first.data.entrySet());
        Collections.shuffle(entries, new Random(seed));
        Replica second = new Replica(shape);
        MerkleTree shuffled = new MerkleTree(shape);
        for (Map.Entry<byte[], Long> e : entries) {
            second.write(shuffled, e.getKey(), e.getValue());
        }

        assertThat(shuffled.root()).isEqualTo(incremental.root());
        assertThat(second.build().root()).isEqualTo(incremental.root());
    }

    @Property
    void treesOfDifferentDataHaveDifferentRoots(@ForAll("shapes") TreeShape shape, @ForAll("writes") List<Write> a,
                                                @ForAll("writes") List<Write> b) {
        Replica ra = new Replica(shape);
        Replica rb = new Replica(shape);
        a.forEach(w -> ra.write(null, key(w.key()), w.state()));
        b.forEach(w -> rb.write(null, key(w.key()), w.state()));

        // TreeMap equality looks keys up with the map's comparator, so byte[] keys compare by content.
        assertThat(ra.build().root() == rb.build().root()).isEqualTo(ra.data.equals(rb.data));
    }

    @Property
    void incrementalUpdatesEqualAFullRebuild(@ForAll("shapes") TreeShape shape, @ForAll("writes") List<Write> writes,
                                             @ForAll @IntRange(min = 0, max = 250) int peekEvery) {
        Replica replica = new Replica(shape);
        MerkleTree tree = new MerkleTree(shape);
        int i = 0;
        for (Write w : writes) {
            replica.write(tree, key(w.key()), w.state());
            // Reading hashes between writes must not change what later updates produce (lazy recomputation).
            if (peekEvery > 0 && ++i % peekEvery == 0) {
                tree.root();
                tree.hash(shape.leafLevel(), 0);
            }
        }

        Replica.assertSameTree(tree, replica.build());
    }

    @Property
    void aRebuildWhileWritesLandEqualsARebuildOfTheFinalData(@ForAll("shapes") TreeShape shape,
                                                             @ForAll("writes") List<Write> before,
                                                             @ForAll("writes") List<Write> duringScan,
                                                             @ForAll("writes") List<Write> afterScan,
                                                             @ForAll("writes") List<Write> afterRebuild) {
        Replica replica = new Replica(shape);
        MerkleTree tree = new MerkleTree(shape);
        // Writes before the rebuild left the tree wrong: pretend they were lost (a crash before a save).
        before.forEach(w -> replica.write(null, key(w.key()), w.state()));

        MerkleTree.Rebuild rebuild = tree.startRebuild();
        TreeMap<byte[], Long> snapshot = new TreeMap<>(replica.data);
        duringScan.forEach(w -> replica.write(tree, key(w.key()), w.state()));
        replica.scanInto(rebuild, snapshot);
        afterScan.forEach(w -> replica.write(tree, key(w.key()), w.state()));
        tree.finishRebuild(rebuild, 42);
        afterRebuild.forEach(w -> replica.write(tree, key(w.key()), w.state()));

        assertThat(tree.isBuilt()).isTrue();
        assertThat(tree.builtAtMillis()).isEqualTo(42);
        Replica.assertSameTree(tree, replica.build());
    }

    @Property
    void theExchangeFindsExactlyTheKeysThatDiffer(@ForAll("shapes") TreeShape shape, @ForAll("writes") List<Write> common,
                                                  @ForAll("writes") List<Write> onlyA, @ForAll("writes") List<Write> onlyB,
                                                  @ForAll @IntRange(min = 1, max = 100) int maxNodesPerQuery) {
        Replica a = new Replica(shape);
        MerkleTree ta = new MerkleTree(shape);
        common.forEach(w -> a.write(ta, key(w.key()), w.state()));
        Replica b = a.copy();
        MerkleTree tb = b.build();
        onlyA.forEach(w -> a.write(ta, key(w.key()), w.state()));
        onlyB.forEach(w -> b.write(tb, key(w.key()), w.state()));

        TreeDiff diff = new TreeDiff(shape, maxNodesPerQuery);
        while (!diff.isDone()) {
            TreeDiff.Query q = diff.next();
            assertThat(q.nodes().length).isBetween(1, maxNodesPerQuery);
            diff.answer(ta.hashes(q.level(), q.nodes()), tb.hashes(q.level(), q.nodes()));
        }
        Set<String> found = new HashSet<>();
        for (int leaf : diff.differingLeaves()) {
            for (byte[] k : SegmentListing.diff(a.listing(leaf), b.listing(leaf)).keys()) {
                found.add(new String(k));
            }
        }

        Set<String> expected = new HashSet<>();
        Set<Integer> expectedLeaves = new HashSet<>();
        for (int k = 0; k <= 120; k++) {
            byte[] key = key(k);
            if (a.entryOf(key) != b.entryOf(key)) {
                expected.add("k" + k);
                expectedLeaves.add(a.leafOf(key));
            }
        }
        assertThat(found).isEqualTo(expected);
        // What moved is bounded by the differing leaves, not by the size of the tree.
        assertThat(diff.differingLeaves()).hasSize(expectedLeaves.size());
        assertThat(diff.hashesCompared())
                .isLessThanOrEqualTo(1 + (long) expectedLeaves.size() * shape.fanOut() * shape.leafLevel());
    }

    @Property
    void aSavedTreeRestoresEqual(@ForAll("shapes") TreeShape shape, @ForAll("writes") List<Write> writes,
                                 @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long builtAt) throws TreeDataException {
        Replica replica = new Replica(shape);
        writes.forEach(w -> replica.write(null, key(w.key()), w.state()));
        MerkleTree tree = new MerkleTree(shape);
        MerkleTree.Rebuild r = tree.startRebuild();
        replica.scanInto(r, replica.data);
        tree.finishRebuild(r, builtAt);

        MerkleTree restored = MerkleTreeCodec.decode(MerkleTreeCodec.encode(tree));

        assertThat(restored.shape()).isEqualTo(shape);
        assertThat(restored.builtAtMillis()).isEqualTo(builtAt);
        Replica.assertSameTree(restored, tree);
    }

    @Property
    void listingsSurviveTheWire(@ForAll("writes") List<Write> writes, @ForAll @IntRange(min = 1, max = 8) int leaves) throws TreeDataException {
        Replica replica = new Replica(TreeShape.of(leaves, 2));
        writes.forEach(w -> replica.write(null, key(w.key()), w.state()));
        List<SegmentListing> listings = new ArrayList<>();
        for (int leaf = 0; leaf < leaves; leaf++) {
            listings.add(replica.listing(leaf));
        }

        List<SegmentListing> decoded = SegmentListing.decode(SegmentListing.encode(listings));

        assertThat(decoded).hasSize(leaves);
        for (int i = 0; i < leaves; i++) {
            SegmentListing in = listings.get(i);
            SegmentListing out = decoded.get(i);
            assertThat(out.segment()).isEqualTo(in.segment());
            assertThat(out.size()).isEqualTo(in.size());
            for (int e = 0; e < in.size(); e++) {
                assertThat(Arrays.equals(out.key(e), in.key(e))).isTrue();
                assertThat(out.stateHash(e)).isEqualTo(in.stateHash(e));
            }
            assertThat(SegmentListing.diff(in, out).keys()).isEmpty();
            assertThat(out.leafHash()).isEqualTo(replica.build().hash(replica.shape.leafLevel(), i));
        }
    }
}
