package io.ringkv.antientropy;

import io.ringkv.ring.Ring;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentsTest {

    @Property(tries = 300)
    void aKeysSegmentLiesInItsPartition(@ForAll String key, @ForAll @IntRange(min = 0, max = 12) int bits) {
        int partitions = 1 << bits;
        Ring ring = Ring.create(partitions, List.of("a"), 1);
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        int segment = Segments.of(utf8);

        int partition = Segments.partitionOf(segment, partitions);

        assertThat(partition).isEqualTo(ring.partitionOf(utf8));
        assertThat(Segments.first(partition, partitions) + Segments.leafOf(segment, partitions)).isEqualTo(segment);
        assertThat(Segments.leafOf(segment, partitions)).isLessThan(TreeShape.forPartition(partitions).leafCount());
    }
}
