package io.ringkv.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class VersionVectorTest {

  /** Vectors over few nodes with small counters, so that they often overlap and compare. */
  @Provide
  Arbitrary<VersionVector> vectors() {
    return Arbitraries.maps(Arbitraries.of("a", "b", "c", "d"), Arbitraries.longs().between(1, 3))
        .ofMaxSize(4)
        .map(VersionVector::of);
  }

  @Property
  void mergeIsCommutativeAssociativeAndIdempotent(
      @ForAll("vectors") VersionVector a, @ForAll("vectors") VersionVector b, @ForAll("vectors") VersionVector c) {
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    assertThat(a.merge(a)).isEqualTo(a);
  }

  @Property
  void mergeIsTheLeastUpperBound(
      @ForAll("vectors") VersionVector a, @ForAll("vectors") VersionVector b, @ForAll("vectors") VersionVector c) {
    VersionVector ab = a.merge(b);

    assertThat(ab.descends(a) && ab.descends(b)).isTrue();
    if (c.descends(a) && c.descends(b)) {
      assertThat(c.descends(ab)).isTrue();
    }
  }

  @Property
  void descendsIsAPartialOrder(
      @ForAll("vectors") VersionVector a, @ForAll("vectors") VersionVector b, @ForAll("vectors") VersionVector c) {
    assertThat(a.descends(a)).isTrue();
    if (a.descends(b) && b.descends(a)) {
      assertThat(a).isEqualTo(b);
    }
    if (a.descends(b) && b.descends(c)) {
      assertThat(a.descends(c)).isTrue();
    }
  }

  @Property
  void descendsMeansPointwiseGreaterOrEqual(@ForAll("vectors") VersionVector a, @ForAll("vectors") VersionVector b) {
    boolean pointwise = b.asMap().entrySet().stream().allMatch(e -> a.counter(e.getKey()) >= e.getValue());

    assertThat(a.descends(b)).isEqualTo(pointwise);
  }

  @Property
  void asMapRoundTrips(@ForAll("vectors") VersionVector a) {
    assertThat(VersionVector.of(a.asMap())).isEqualTo(a).hasSameHashCodeAs(a);
  }

  @Test
  void countersOfAbsentNodesAreZero() {
    VersionVector v = VersionVector.of(Map.of("b", 2L, "a", 7L));

    assertThat(v.counter("a")).isEqualTo(7);
    assertThat(v.counter("c")).isZero();
    assertThat(v.size()).isEqualTo(2);
    assertThat(v.isEmpty()).isFalse();
    assertThat(VersionVector.empty().isEmpty()).isTrue();
    assertThat(VersionVector.of(Map.of())).isSameAs(VersionVector.empty());
  }

  @Test
  void entriesAreSortedByNodeId() {
    VersionVector v = VersionVector.of(Map.of("b", 2L, "a", 7L, "c", 1L));

    assertThat(v.asMap().keySet()).containsExactly("a", "b", "c");
    assertThat(v).hasToString("{a=7, b=2, c=1}");
    assertThatThrownBy(() -> v.asMap().put("d", 1L)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void mergeTakesThePointwiseMaximum() {
    VersionVector a = VersionVector.of(Map.of("a", 3L, "b", 1L));
    VersionVector b = VersionVector.of(Map.of("b", 2L, "c", 5L));

    assertThat(a.merge(b)).isEqualTo(VersionVector.of(Map.of("a", 3L, "b", 2L, "c", 5L)));
    assertThat(a.merge(VersionVector.empty())).isSameAs(a);
  }

  @Test
  void ofRejectsInvalidCounters() {
    Map<String, Long> nullValue = new HashMap<>();
    nullValue.put("a", null);
    Map<String, Long> nullKey = new HashMap<>();
    nullKey.put(null, 1L);

    assertThatThrownBy(() -> VersionVector.of(Map.of("a", 0L))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VersionVector.of(Map.of("a", -1L))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VersionVector.of(nullValue)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VersionVector.of(nullKey)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VersionVector.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void ofRejectsInvalidNodeIds() {
    assertThatThrownBy(() -> VersionVector.of(Map.of("", 1L))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VersionVector.of(Map.of("é".repeat(128), 1L)))
        .isInstanceOf(IllegalArgumentException.class); // 256 bytes in UTF-8
    assertThatThrownBy(() -> VersionVector.of(Map.of("a\uDC00", 1L))).isInstanceOf(IllegalArgumentException.class);
    assertThat(VersionVector.of(Map.of("x".repeat(255), 1L)).size()).isEqualTo(1);
  }
}
