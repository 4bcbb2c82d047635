package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CreateTest {

  @Property
  void balancedOwnedByTheGivenNodesAndMeetsTargetNWhenAchievable(
      @ForAll("partitionCounts") int q,
      @ForAll @IntRange(min = 1, max = 16) int m,
      @ForAll @IntRange(min = 1, max = 5) int n) {
    m = Math.min(m, q);
    List<String> nodes = nodes(m);
    Ring ring = Ring.create(q, nodes, n);

    assertThat(ring.version()).isEqualTo(1);
    assertThat(ring.partitionCount()).isEqualTo(q);
    assertThat(ring.members()).containsExactlyInAnyOrderElementsOf(nodes);
    assertThat(ring.owners()).hasSize(q).allMatch(nodes::contains);
    assertThat(Naive.balanced(ring)).isTrue();
    assertThat(ring.isBalanced()).isTrue();
    int violations = Naive.violations(ring.owners(), n);
    assertThat(ring.targetNViolations(n)).isEqualTo(violations);
    assertThat(violations == 0).isEqualTo(Ring.isTargetNAchievable(q, m, n));
  }

  @Property
  void doesNotDependOnTheOrderNodesAreGivenIn(
      @ForAll("partitionCounts") int q,
      @ForAll @IntRange(min = 1, max = 16) int m,
      @ForAll @IntRange(min = 1, max = 5) int n,
      @ForAll long seed) {
    List<String> nodes = new ArrayList<>(nodes(Math.min(m, q)));
    Ring sorted = Ring.create(q, nodes, n);
    Collections.shuffle(nodes, new Random(seed));
    assertThat(Ring.create(q, nodes, n)).isEqualTo(sorted);
  }

  /**
   * The documented condition is exact for every partition count: a balanced ring meeting
   * target_n exists iff {@code ceil(Q/M) * n <= Q}, and create finds one whenever it exists.
   */
  @Test
  void meetsTargetNExactlyWhenTheConditionHolds() {
    for (int q = 1; q <= Ring.MAX_PARTITIONS; q *= 2) {
      for (int m = 1; m <= Math.min(q, 24); m++) {
        Ring ring = Ring.create(q, nodes(m), 1);
        for (int n = 1; n <= 8; n++) {
          boolean achievable = Naive.achievable(q, m, n);
          assertThat(Ring.isTargetNAchievable(q, m, n)).isEqualTo(achievable);
          if (achievable) {
            // The layout does not depend on n when target_n is achievable.
            assertThat(ring.targetNViolations(n)).as("q=%d m=%d n=%d", q, m, n).isZero();
          } else {
            assertThat(Ring.create(q, nodes(m), n).targetNViolations(n)).isPositive();
          }
        }
      }
    }
  }

  @Test
  void theBriefsExamples() {
    assertThat(Ring.isTargetNAchievable(64, 3, 3)).isFalse(); // would need period 3 dividing 64
    assertThat(Ring.isTargetNAchievable(64, 4, 3)).isTrue();
    assertThat(Ring.isTargetNAchievable(64, 5, 3)).isTrue(); // 13 * 3 <= 64
    assertThat(Ring.isTargetNAchievable(8, 6, 5)).isFalse(); // a node owns 2 of 8, 5 apart
    assertThat(Ring.isTargetNAchievable(8, 5, 4)).isTrue(); // tight: 2 * 4 == 8
    assertThat(Ring.create(8, nodes(5), 4).owners())
        .containsExactly("n00", "n01", "n02", "n03", "n00", "n01", "n02", "n04");
  }

  /** Where target_n cannot be met, create's layout has the fewest violating windows possible. */
  @Test
  void violatesAsLittleAsPossibleOnSmallRings() {
    for (int q : new int[] {8, 16}) {
      for (int m = 1; m <= 8; m++) { // with 16 partitions, 6 or more nodes always achieve n <= 5
        for (int n = 2; n <= 5; n++) {
          if (!Naive.achievable(q, m, n)) {
            int fewest = new FewestViolations(q, m, n).search();
            assertThat(Ring.create(q, nodes(m), n).targetNViolations(n))
                .as("q=%d m=%d n=%d", q, m, n).isEqualTo(fewest);
          }
        }
      }
    }
  }

  @Provide
  Arbitrary<Integer> partitionCounts() {
    return Arbitraries.of(8, 16, 32, 64, 128, 256);
  }

  static List<String> nodes(int m) {
    return IntStream.range(0, m).mapToObj(i -> String.format("n%02d", i)).toList();
  }

  /** Exhaustive search over balanced layouts, first-use order of ids to skip relabelings. */
  private static final class FewestViolations {
    private final int q;
    private final int m;
    private final int n;
    private final int[] owners;
    private final int[] count;
    private int best;

    FewestViolations(int q, int m, int n) {
      this.q = q;
      this.m = m;
      this.n = n;
      this.owners = new int[q];
      this.count = new int[m];
      this.best = q;
    }

    int search() {
      place(0, 0, -1);
      return best;
    }

    private void place(int p, int violations, int highestId) {
      if (violations >= best) {
        return;
      }
      if (p == q) {
        best = Math.min(best, violations + wrapViolations());
        return;
      }
      int ceilings = 0;
      for (int c : count) {
        ceilings += c == (q + m - 1) / m ? 1 : 0;
      }
      for (int x = 0; x <= Math.min(m - 1, highestId + 1); x++) {
        boolean full = count[x] == (q + m - 1) / m
            || (count[x] == q / m && q % m != 0 && ceilings == q % m);
        if (!full) {
          owners[p] = x;
          count[x]++;
          int added = p >= n - 1 && repeats(p - n + 1) ? 1 : 0;
          place(p + 1, violations + added, Math.max(highestId, x));
          count[x]--;
        }
      }
    }

    private int wrapViolations() {
      int violations = 0;
      for (int start = q - n + 1; start < q; start++) {
        violations += repeats(start) ? 1 : 0;
      }
      return violations;
    }

    private boolean repeats(int start) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          if (owners[(start + i) % q] == owners[(start + j) % q]) {
            return true;
          }
        }
      }
      return false;
    }
  }
}
