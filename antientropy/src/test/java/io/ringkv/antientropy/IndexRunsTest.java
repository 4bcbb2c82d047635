package io.ringkv.antientropy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IndexRunsTest {

    @Property(tries = 500)
    void ascendingIndexesSurviveTheWire(@ForAll @Size(max = 300) Set<@IntRange(min = 0, max = 70_000) Integer> indexes)
            throws TreeDataException {
        int[] ascending = new TreeSet<>(indexes).stream().mapToInt(Integer::intValue).toArray();

        assertThat(IndexRuns.unpack(IndexRuns.pack(ascending), ascending.length)).containsExactly(ascending);
    }

    @Test
    void childrenOfAFewNodesTakeAFewBytes() {
        int[] children = new int[15 * 16];
        for (int i = 0; i < children.length; i++) {
            children[i] = (i / 16) * 64 + i % 16;
        }

        assertThat(IndexRuns.pack(children).length).isLessThanOrEqualTo(1 + 15 * 3);
    }

    @Test
    void refusesWhatIsNotAscendingAndWhatIsMalformedOrTooMany() {
        assertThatThrownBy(() -> IndexRuns.pack(new int[] {3, 3})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IndexRuns.pack(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
        byte[] thousand = IndexRuns.pack(java.util.stream.IntStream.range(0, 1000).toArray());
        assertThatThrownBy(() -> IndexRuns.unpack(thousand, 999)).isInstanceOf(TreeDataException.class);
        assertThatThrownBy(() -> IndexRuns.unpack(new byte[] {1, 0}, 10)).isInstanceOf(TreeDataException.class);
        assertThatThrownBy(() -> IndexRuns.unpack(new byte[] {0, 0}, 10)).isInstanceOf(TreeDataException.class)
                .hasMessageContaining("trailing");
        assertThatThrownBy(() -> IndexRuns.unpack(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0}, 10))
                .isInstanceOf(TreeDataException.class);
    }
}
