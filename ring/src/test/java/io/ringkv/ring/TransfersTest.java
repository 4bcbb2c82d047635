package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TransfersTest {

  /** Replaying the transfers onto the current replica sets yields the next ring's. */
  @Property
  void applyingTheTransfersGivesTheNextReplicaSets(
      @ForAll("changes") List<Ring> change, @ForAll @IntRange(min = 1, max = 5) int n) {
    Ring current = change.get(0);
    Ring next = change.get(1);
    List<Transfer> transfers = current.transfersTo(next, n);

    assertThat(transfers).extracting(Transfer::partition).isSorted();
    for (int p = 0; p < current.partitionCount(); p++) {
      List<String> before = current.preferenceList(p, n).primaries();
      List<String> after = next.preferenceList(p, n).primaries();
      Set<String> replicas = new LinkedHashSet<>(before);
      List<String> received = new ArrayList<>();
      for (Transfer transfer : transfers) {
        if (transfer.partition() == p) {
          assertThat(replicas).contains(transfer.from()); // only a holder can send
          received.add(transfer.to());
          replicas.add(transfer.to());
        }
      }
      List<String> newcomers = new ArrayList<>(after);
      newcomers.removeAll(before);
      assertThat(received).isEqualTo(newcomers);
      replicas.retainAll(after); // the dropped replicas delete their copies
      assertThat(replicas).containsExactlyInAnyOrderElementsOf(after);
    }
  }

  @Property
  void noChangeNoTransfers(
      @ForAll("changes") List<Ring> change, @ForAll @IntRange(min = 1, max = 5) int n) {
    assertThat(change.get(0).transfersTo(change.get(0), n)).isEmpty();
  }

  @Test
  void theNodeLeavingAReplicaSetHandsItsPartitionOver() {
    Ring before = Ring.of(1, List.of("a", "b", "c", "d"));
    Ring after = Ring.of(2, List.of("a", "b", "e", "d"));
    // n = 1: partition 2 moves from c to e.
    assertThat(before.transfersTo(after, 1)).containsExactly(new Transfer(2, "c", "e"));
  }

  @Test
  void aGrowingReplicaSetStreamsFromTheOwner() {
    Ring before = Ring.of(1, List.of("a", "a", "a", "a"));
    Ring after = Ring.of(2, List.of("a", "b", "a", "b"));
    assertThat(before.transfersTo(after, 2)).containsExactly(
        new Transfer(0, "a", "b"), new Transfer(1, "a", "b"),
        new Transfer(2, "a", "b"), new Transfer(3, "a", "b"));
  }

  @Test
  void ringsMustHaveTheSamePartitionCount() {
    Ring small = Ring.of(1, List.of("a", "b"));
    Ring large = Ring.of(1, List.of("a", "b", "a", "b"));
    assertThatIllegalArgumentException().isThrownBy(() -> small.transfersTo(large, 1));
    assertThatIllegalArgumentException().isThrownBy(() -> new Transfer(0, "a", "a"));
    assertThatIllegalArgumentException().isThrownBy(() -> new Transfer(-1, "a", "b"));
  }

  /** A ring and the ring after one join or leave, or after an arbitrary reassignment. */
  @Provide
  Arbitrary<List<Ring>> changes() {
    Arbitrary<List<Ring>> membership = Arbitraries.of(8, 16, 32, 64).flatMap(q ->
        Arbitraries.integers().between(1, Math.min(q, 12)).flatMap(m ->
            Arbitraries.integers().between(0, 2 * m).map(pick -> {
              Ring ring = Ring.create(q, CreateTest.nodes(m), 3);
              Ring next = pick < m && m > 1
                  ? ring.leave(CreateTest.nodes(m).get(pick), 3)
                  : m < q ? ring.join("new", 3) : ring;
              return List.of(ring, next);
            })));
    Arbitrary<List<Ring>> arbitrary = Arbitraries.of(8, 16, 32).flatMap(q ->
        Arbitraries.of("a", "b", "c", "d", "e").list().ofSize(q).list().ofSize(2)
            .map(pair -> List.of(Ring.of(1, pair.get(0)), Ring.of(2, pair.get(1)))));
    return Arbitraries.oneOf(membership, arbitrary);
  }
}
