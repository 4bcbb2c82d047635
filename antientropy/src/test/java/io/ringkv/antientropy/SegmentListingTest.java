package io.ringkv.antientropy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SegmentListingTest {

    private static SegmentListing listing(int segment, Object... keysAndHashes) {
        SegmentListing.Builder b = SegmentListing.builder(segment);
        for (int i = 0; i < keysAndHashes.length; i += 2) {
            b.add(Replica.key((String) keysAndHashes[i]), (Long) keysAndHashes[i + 1]);
        }
        return b.build();
    }

    @Test
    void namesKeysMissingOnEitherSideOrInAnotherState() {
        SegmentListing a = listing(9, "a", 1L, "b", 2L, "c", 3L, "e", 5L);
        SegmentListing b = listing(9, "b", 2L, "c", 4L, "d", 4L, "e", 5L);

        SegmentListing.Difference d = SegmentListing.diff(a, b);

        assertThat(d.keys()).extracting(String::new).containsExactly("a", "c", "d");
        assertThat(d.compared()).isEqualTo(5);
    }

    @Test
    void keysComeInUnsignedByteOrder() {
        SegmentListing.Builder b = SegmentListing.builder(0).add(Replica.key("z"), 1);

        // 'é' encodes as 0xC3 0xA9: after every ASCII key, as the store orders it.
        b.add(Replica.key("é"), 2);
        assertThatThrownBy(() -> b.add(Replica.key("a"), 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.add(Replica.key("é"), 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesMalformedWireData() {
        byte[] good = SegmentListing.encode(List.of(listing(3, "a", 1L, "b", 2L)));

        assertThatThrownBy(() -> SegmentListing.decode(new byte[0])).isInstanceOf(TreeDataException.class);
        assertThatThrownBy(() -> SegmentListing.decode(java.util.Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(TreeDataException.class);
        assertThatThrownBy(() -> SegmentListing.decode(java.util.Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(TreeDataException.class).hasMessageContaining("trailing");
        byte[] swapped = good.clone();
        swapped[5] = 'c'; // the first key, "a", now sorts after "b"
        assertThatThrownBy(() -> SegmentListing.decode(swapped)).isInstanceOf(TreeDataException.class)
                .hasMessageContaining("order");
        assertThatThrownBy(() -> SegmentListing.decode(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}))
                .isInstanceOf(TreeDataException.class);
    }

    @Test
    void hashesTravelPacked() throws TreeDataException {
        long[] hashes = {0, -1, Long.MIN_VALUE, 42};

        assertThat(Hashes.unpack(Hashes.pack(hashes), 4)).containsExactly(hashes);
        assertThatThrownBy(() -> Hashes.unpack(Hashes.pack(hashes), 3)).isInstanceOf(TreeDataException.class);
        assertThatThrownBy(() -> Hashes.unpack(null, 0)).isInstanceOf(TreeDataException.class);
    }
}
