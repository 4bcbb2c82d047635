package io.ringkv.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TransitionTest {

  private static final Ring THREE = Ring.create(64, List.of("n1", "n2", "n3"), 3);

  @Test
  void everyCurrentPrimaryOfAChangedPartitionIsASourceAndNoOtherIs() {
    Ring next = Plan.of(THREE, List.of(Change.join("n4")), 3).next();
    Transition t = Transition.start(THREE, next, 3);
    List<Transition.Source> sources = t.sources(THREE);
    assertThat(sources).isNotEmpty();
    for (int p = 0; p < 64; p++) {
      List<String> before = THREE.preferenceList(p, 3).primaries();
      boolean changed = !new HashSet<>(before).equals(new HashSet<>(next.preferenceList(p, 3).primaries()));
      int partition = p;
      List<String> streaming = sources.stream().filter(s -> s.partition() == partition)
          .map(Transition.Source::node).toList();
      assertThat(streaming).isEqualTo(changed ? before : List.of());
      if (changed) {
        assertThat(t.newcomers(THREE, p)).containsExactly("n4");
      }
    }
  }

  @Test
  void completesWhenEverySourceIsDoneAndNotBefore() {
    Ring next = Plan.of(THREE, List.of(Change.join("n4")), 3).next();
    Transition t = Transition.start(THREE, next, 3);
    List<Transition.Source> sources = t.sources(THREE);
    for (Transition.Source s : sources) {
      assertThat(t.isComplete(THREE)).isFalse();
      assertThat(t.pendingFor(THREE, s.node())).contains(s);
      t = t.withDone(s);
      assertThat(t.pendingFor(THREE, s.node())).doesNotContain(s);
    }
    assertThat(t.isComplete(THREE)).isTrue();
  }

  @Test
  void aTransitionMustLeadOneVersionOn() {
    Ring same = Ring.of(THREE.version(), THREE.owners());
    assertThatThrownBy(() -> Transition.start(THREE, same, 3)).isInstanceOf(IllegalArgumentException.class);
    Ring next = Plan.of(THREE, List.of(Change.join("n4")), 3).next();
    assertThat(Transition.start(THREE, next, 3).follows(THREE)).isTrue();
    assertThat(Transition.start(THREE, next, 3).follows(next)).isFalse();
  }

  /** Views of transitions merge to the same result in any order, and merging is idempotent. */
  @Property(tries = 200)
  void mergingIsCommutativeAssociativeAndIdempotent(@ForAll @IntRange(max = 1 << 20) int seedA,
                                                    @ForAll @IntRange(max = 1 << 20) int seedB,
                                                    @ForAll @IntRange(max = 1 << 20) int seedC) {
    Transition a = view(seedA);
    Transition b = view(seedB);
    Transition c = view(seedC);
    assertThat(a.merge(b)).isEqualTo(b.merge(a));
    assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
    assertThat(a.merge(a)).isEqualTo(a);
  }

  /** Two raced commits: every node ends on the greater next ring, with the done sets of that one only. */
  @Test
  void ofTwoRacedCommitsTheGreaterNextRingWins() {
    Transition join4 = Transition.start(THREE, Plan.of(THREE, List.of(Change.join("n4")), 3).next(), 3);
    Transition join5 = Transition.start(THREE, Plan.of(THREE, List.of(Change.join("n5")), 3).next(), 3);
    Transition winner = join4.next().compareTo(join5.next()) > 0 ? join4 : join5;
    Transition doneLoser = (winner == join4 ? join5 : join4).withDone(new Transition.Source(0, "n1"));
    assertThat(doneLoser.merge(winner)).isEqualTo(winner);
    assertThat(winner.merge(doneLoser)).isEqualTo(winner);
  }

  /** One of two transitions (join of n4 or of n5) with a pseudo-random subset of its sources done. */
  private static Transition view(int seed) {
    String joiner = (seed & 1) == 0 ? "n4" : "n5";
    Transition t = Transition.start(THREE, Plan.of(THREE, List.of(Change.join(joiner)), 3).next(), 3);
    List<Transition.Source> sources = new ArrayList<>(t.sources(THREE));
    Set<Transition.Source> done = new HashSet<>();
    for (int i = 0; i < sources.size(); i++) {
      if (((seed >> (1 + i % 19)) & 1) == 1) {
        done.add(sources.get(i));
      }
    }
    return new Transition(t.next(), 3, done);
  }
}
