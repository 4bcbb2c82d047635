package io.ringkv.antientropy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TreeShapeTest {

    @Test
    void aPartitionOfARingOf64HasFourLevels() {
        TreeShape shape = TreeShape.forPartition(64);

        assertThat(shape.leafCount()).isEqualTo(1024);
        assertThat(shape.levels()).isEqualTo(4);
        assertThat(new int[] {shape.size(0), shape.size(1), shape.size(2), shape.size(3)}).containsExactly(1, 4, 64, 1024);
        assertThat(shape.firstChild(1, 3)).isEqualTo(48);
        assertThat(shape.childrenEnd(1, 3)).isEqualTo(64);
    }

    @Test
    void aRaggedLastNodeHasFewerChildren() {
        TreeShape shape = TreeShape.of(10, 4);

        assertThat(shape.levels()).isEqualTo(3);
        assertThat(shape.size(1)).isEqualTo(3);
        assertThat(shape.firstChild(1, 2)).isEqualTo(8);
        assertThat(shape.childrenEnd(1, 2)).isEqualTo(10);
        assertThat(shape.childrenEnd(0, 0)).isEqualTo(3);
    }

    @Test
    void aSingleLeafIsItsOwnRoot() {
        TreeShape shape = TreeShape.of(1, 16);

        assertThat(shape.levels()).isEqualTo(1);
        assertThat(shape.leafLevel()).isZero();
        assertThatThrownBy(() -> shape.firstChild(0, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void refusesDegenerateShapes() {
        assertThatThrownBy(() -> TreeShape.of(0, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TreeShape.of(16, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TreeShape.forPartition(48)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shapesAreEqualByLeavesAndFanOut() {
        assertThat(TreeShape.forPartition(64)).isEqualTo(TreeShape.of(1024, 16)).hasSameHashCodeAs(TreeShape.of(1024, 16));
        assertThat(TreeShape.of(1024, 16)).isNotEqualTo(TreeShape.of(1024, 32));
    }
}
