package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API's contracts: validation, immutability, identity and ordering. */
class RingTest {

  private final Ring ring = Ring.create(Ring.DEFAULT_PARTITIONS, List.of("c", "a", "b", "d"), 3);

  @Test
  void ofRoundTripsTheWireForm() {
    Ring copy = Ring.of(ring.version(), ring.owners());
    assertThat(copy).isEqualTo(ring).hasSameHashCodeAs(ring);
    assertThat(copy.members()).isEqualTo(ring.members());
    assertThat(copy.partitionCount()).isEqualTo(64);
  }

  @Test
  void ofValidates() {
    assertThatIllegalArgumentException().isThrownBy(() -> Ring.of(1, List.of()));
    assertThatIllegalArgumentException().isThrownBy(() -> Ring.of(1, List.of("a", "b", "c")));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Ring.of(1, Collections.nCopies(8192, "a")));
    assertThatIllegalArgumentException().isThrownBy(() -> Ring.of(-1, List.of("a")));
    assertThatIllegalArgumentException().isThrownBy(() -> Ring.of(1, List.of("a", "")));
    assertThatNullPointerException().isThrownBy(() -> Ring.of(1, Arrays.asList("a", null)));
    assertThat(Ring.of(0, List.of("a")).owner(0)).isEqualTo("a");
  }

  @Test
  void createValidates() {
    assertThatIllegalArgumentException().isThrownBy(() -> Ring.create(48, List.of("a"), 3));
    assertThatIllegalArgumentException().isThrownBy(() -> Ring.create(8, List.of(), 3));
    assertThatIllegalArgumentException().isThrownBy(() -> Ring.create(8, List.of("a", "a"), 3));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Ring.create(2, List.of("a", "b", "c"), 1));
    assertThatIllegalArgumentException().isThrownBy(() -> Ring.create(8, List.of("a"), 0));
    assertThatNullPointerException().isThrownBy(() -> Ring.create(8, Arrays.asList("a", null), 1));
  }

  @Test
  void accessorsAgree() {
    assertThat(ring.members()).containsExactly("a", "b", "c", "d");
    Map<String, Integer> counts = ring.ownershipCounts();
    assertThat(counts).containsOnlyKeys("a", "b", "c", "d").allSatisfy((node, count) -> {
      assertThat(count).isEqualTo(16);
      assertThat(ring.partitionsOwnedBy(node)).hasSize(16).isSorted()
          .allMatch(p -> ring.owner(p).equals(node));
    });
    assertThat(ring.partitionsOwnedBy("stranger")).isEmpty();
    assertThat(ring.isBalanced()).isTrue();
    assertThat(ring.toString()).isEqualTo("Ring{version=1, partitions=64, members=4}");
    assertThatThrownBy(() -> ring.owner(64)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void isImmutable() {
    List<String> owners = new ArrayList<>(ring.owners());
    Ring copy = Ring.of(1, owners);
    owners.set(0, "z");
    assertThat(copy).isEqualTo(ring);
    assertThatThrownBy(() -> ring.owners().set(0, "z"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ring.members().add("z"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ring.partitionsOwnedBy("a").add(1))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ring.ownershipCounts().put("z", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void joinAndLeaveValidate() {
    assertThatIllegalArgumentException().isThrownBy(() -> ring.join("a", 3));
    assertThatIllegalArgumentException().isThrownBy(() -> ring.join("e", 0));
    assertThatIllegalArgumentException().isThrownBy(() -> ring.join("", 3));
    assertThatIllegalArgumentException().isThrownBy(() -> ring.leave("e", 3));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Ring.create(8, List.of("a"), 1).leave("a", 1));
    assertThatIllegalStateException()
        .isThrownBy(() -> Ring.create(2, List.of("a", "b"), 1).join("c", 1));
    assertThat(ring.join("e", 3).version()).isEqualTo(2);
    assertThat(ring.leave("a", 3).members()).containsExactly("b", "c", "d");
  }

  @Test
  void targetNLargerThanTheRingIsAllowed() {
    Ring tiny = Ring.create(2, List.of("a", "b"), 5);
    assertThat(tiny.targetNViolations(5)).isEqualTo(2);
    assertThat(tiny.targetNViolations(2)).isZero();
    assertThat(tiny.leave("a", 5).owners()).containsExactly("b", "b");
  }

  @Test
  void gossipOrderIsVersionThenOwners() {
    Ring older = Ring.of(1, List.of("b", "a"));
    Ring newer = Ring.of(2, List.of("a", "b"));
    Ring rival = Ring.of(2, List.of("b", "a"));
    assertThat(older).isLessThan(newer);
    assertThat(newer).isLessThan(rival);
    assertThat(rival.compareTo(Ring.of(2, List.of("b", "a")))).isZero();
    assertThat(newer).isNotEqualTo(rival).isNotEqualTo(older);
  }

  @Test
  void achievabilityNeedsPositiveCounts() {
    assertThatIllegalArgumentException().isThrownBy(() -> Ring.isTargetNAchievable(0, 1, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> ring.targetNViolations(0));
  }
}
