package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Joins and leaves: the invariants of every ring, and how much each change moves. */
class MembershipChangeTest {

  /** A ring size, target_n, initial member count and a list of joins and leaves to apply. */
  record Scenario(int q, int n, int initial, List<Integer> steps) {}

  @Property
  void everyRingOfAnySequenceIsBalancedAndMeetsTargetNWhenAchievable(
      @ForAll("scenarios") Scenario scenario) {
    run(scenario, (before, after, n) -> {
      assertThat(after.version()).isEqualTo(before.version() + 1);
      assertThat(after.partitionCount()).isEqualTo(before.partitionCount());
      assertThat(after.owners()).allMatch(after.members()::contains);
      assertThat(Naive.counts(after.owners()).keySet()).isEqualTo(after.members());
      assertThat(Naive.balanced(after)).isTrue();
      if (Naive.achievable(after.partitionCount(), after.members().size(), n)) {
        assertThat(Naive.violations(after.owners(), n)).isZero();
      }
    });
  }

  /**
   * From a ring meeting target_n, a join moves exactly floor(Q/(M+1)) partitions, all to the
   * joiner. From one that does not, and cannot even with the joiner, every extra move is half of
   * a swap removing a violating window, so at most 2 per violating window of the old ring.
   */
  @Property
  void joinMovesOnlyTheJoinersShare(@ForAll("scenarios") Scenario scenario) {
    run(scenario, (before, after, n) -> {
      if (after.members().size() < before.members().size()) {
        return;
      }
      String joiner = after.members().stream()
          .filter(node -> !before.members().contains(node)).findFirst().orElseThrow();
      int q = before.partitionCount();
      int share = q / after.members().size();
      List<Integer> changed = Naive.changed(before, after);
      int oldViolations = Naive.violations(before.owners(), n);
      if (oldViolations == 0) {
        assertThat(changed).hasSize(share).allMatch(p -> after.owner(p).equals(joiner));
      } else if (!Naive.achievable(q, after.members().size(), n)) {
        assertThat(changed.size()).isLessThanOrEqualTo(share + 2 * oldViolations);
      }
    });
  }

  /**
   * A leave moves every partition of the leaver and, from a ring meeting target_n, at most
   * 2(n-1) others per partition of the leaver: the bound Ring#leave documents.
   */
  @Property
  void leaveMovesTheLeaversPartitionsAndBoundedRepairs(@ForAll("scenarios") Scenario scenario) {
    run(scenario, (before, after, n) -> {
      if (after.members().size() > before.members().size()) {
        return;
      }
      String leaver = before.members().stream()
          .filter(node -> !after.members().contains(node)).findFirst().orElseThrow();
      List<Integer> leavers = before.partitionsOwnedBy(leaver);
      List<Integer> others = new ArrayList<>(Naive.changed(before, after));
      assertThat(others).containsAll(leavers);
      others.removeAll(leavers);
      int q = before.partitionCount();
      if (Naive.violations(before.owners(), n) == 0
          && Naive.achievable(q, after.members().size(), n)) {
        assertThat(others.size()).isLessThanOrEqualTo(2 * (n - 1) * leavers.size());
      }
    });
  }

  /** The same holds for rings that no join or leave produced, such as ones shuffled at random. */
  @Property
  void joinMovesOnlyTheJoinersShareFromAnyRingMeetingTargetN(
      @ForAll("partitionCounts") int q,
      @ForAll("memberCounts") int m,
      @ForAll("targetNs") int n,
      @ForAll long seed) {
    if (m >= q || !Naive.achievable(q, m, n)) {
      return;
    }
    Ring ring = shuffled(Ring.create(q, CreateTest.nodes(m), n), n, new Random(seed));
    assertThat(Naive.violations(ring.owners(), n)).isZero();
    Ring joined = ring.join("joiner", n);
    assertThat(Naive.changed(ring, joined)).hasSize(q / (m + 1))
        .allMatch(p -> joined.owner(p).equals("joiner"));
    assertThat(Naive.violations(joined.owners(), n)).isZero();
  }

  /**
   * From a ring meeting target_n, the joiner's partitions can all go back where they came from,
   * so leaving right after joining moves nothing else.
   */
  @Property
  void leavingRightAfterJoiningMovesOnlyTheJoinersPartitions(
      @ForAll("partitionCounts") int q,
      @ForAll("memberCounts") int m,
      @ForAll("targetNs") int n) {
    if (m >= q || !Naive.achievable(q, m, n)) {
      return;
    }
    Ring ring = Ring.create(q, CreateTest.nodes(m), n);
    Ring joined = ring.join("joiner", n);
    Ring left = joined.leave("joiner", n);
    List<Integer> changed = Naive.changed(joined, left);
    assertThat(changed).containsExactlyInAnyOrderElementsOf(joined.partitionsOwnedBy("joiner"));
    assertThat(left.members()).isEqualTo(ring.members());
    assertThat(Naive.balanced(left)).isTrue();
    assertThat(left.targetNViolations(n)).isEqualTo(ring.targetNViolations(n));
  }

  @Property
  void changesAreDeterministic(@ForAll("scenarios") Scenario scenario) {
    List<Ring> first = new ArrayList<>();
    run(scenario, (before, after, n) -> first.add(after));
    List<Ring> second = new ArrayList<>();
    run(scenario, (before, after, n) -> second.add(after));
    assertThat(second).isEqualTo(first);
  }

  /** The ring with random owner swaps applied wherever they keep target_n. */
  static Ring shuffled(Ring ring, int n, Random random) {
    List<String> owners = new ArrayList<>(ring.owners());
    int q = owners.size();
    for (int attempt = 0; attempt < 10 * q; attempt++) {
      int i = random.nextInt(q);
      int j = random.nextInt(q);
      Collections.swap(owners, i, j);
      if (!fits(owners, i, n) || !fits(owners, j, n)) {
        Collections.swap(owners, i, j);
      }
    }
    return Ring.of(ring.version(), owners);
  }

  private static boolean fits(List<String> owners, int p, int n) {
    int q = owners.size();
    for (int d = 1; d < n; d++) {
      if (owners.get((p + d) % q).equals(owners.get(p))
          || owners.get((p - d + q) % q).equals(owners.get(p))) {
        return false;
      }
    }
    return true;
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Combinators.combine(
            partitionCounts(),
            targetNs(),
            memberCounts(),
            Arbitraries.integers().between(0, 1 << 20).list().ofMaxSize(8))
        .as(Scenario::new);
  }

  @Provide
  Arbitrary<Integer> partitionCounts() {
    return Arbitraries.of(8, 16, 32, 64, 128, 256);
  }

  @Provide
  Arbitrary<Integer> memberCounts() {
    return Arbitraries.integers().between(1, 16);
  }

  @Provide
  Arbitrary<Integer> targetNs() {
    return Arbitraries.integers().between(1, 5);
  }

  interface Check {
    void step(Ring before, Ring after, int n);
  }

  /**
   * Applies the scenario's steps: an even step joins a new node (while fewer than 16 members and
   * fewer than Q), an odd one removes a member it picks (unless only one is left). Node ids come
   * from the step values, so their sort order, which decides dense ids, varies.
   */
  static void run(Scenario scenario, Check check) {
    int q = scenario.q();
    int n = scenario.n();
    List<String> initial = new ArrayList<>();
    for (int i = 0; i < Math.min(scenario.initial(), q); i++) {
      initial.add("node-" + (i * 7919 % 1000) + "-" + i);
    }
    Ring ring = Ring.create(q, initial, n);
    int created = initial.size();
    for (int step : scenario.steps()) {
      int m = ring.members().size();
      boolean join = m == 1 || (step % 2 == 0 && m < Math.min(16, q));
      Ring next;
      if (join) {
        next = ring.join("node-" + (step % 1000) + "-" + created++, n);
      } else {
        List<String> members = List.copyOf(ring.members());
        next = ring.leave(members.get(step / 2 % members.size()), n);
      }
      check.step(ring, next, n);
      ring = next;
    }
  }
}
