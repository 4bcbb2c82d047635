package io.ringkv.node.membership;

import io.ringkv.coordinator.ConflictMode;
import io.ringkv.coordinator.ReadRepair;
import io.ringkv.ring.Change;
import io.ringkv.ring.Plan;
import io.ringkv.ring.Ring;
import io.ringkv.ring.Transition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterStateTest {

    private static final ClusterSettings SETTINGS =
            new ClusterSettings(1, 3, 2, 2, true, ReadRepair.ASYNC, ConflictMode.SIBLINGS, 5000, 1000);
    private static final Ring RING = Ring.create(16, List.of("a", "b", "c"), 3);

    private static Transition join(String node) {
        return Transition.start(RING, Plan.of(RING, List.of(Change.join(node)), 3).next(), 3);
    }

    @Test
    void theRingStaysUntilEveryHandoffIsDoneThenEveryListenerHearsTheFlip() {
        ClusterState state = new ClusterState("a", RING, SETTINGS);
        List<Ring> rings = new ArrayList<>();
        List<Transition> transitions = new ArrayList<>();
        state.onRingChange(rings::add);
        state.onTransitionChange(transitions::add);
        Transition t = join("d");
        assertThat(state.offerTransition(t)).isTrue();
        assertThat(state.offerTransition(t)).as("the same view again changes nothing").isFalse();
        assertThat(state.joiningOrMember("d")).isTrue();
        List<Transition.Source> sources = t.sources(RING);
        for (Transition.Source s : sources.subList(0, sources.size() - 1)) {
            state.markDone(s);
            assertThat(state.ring()).isEqualTo(RING);
        }
        state.markDone(sources.get(sources.size() - 1));
        assertThat(state.ring()).isEqualTo(t.next());
        assertThat(state.transition()).isNull();
        assertThat(rings).containsExactly(t.next());
        assertThat(transitions.get(transitions.size() - 1)).isNull();
    }

    @Test
    void aTransitionThatDoesNotLeadOnFromTheCurrentRingIsIgnored() {
        Transition t = join("d");
        ClusterState ahead = new ClusterState("a", t.next(), SETTINGS);
        assertThat(ahead.offerTransition(t)).isFalse();
        ClusterState none = new ClusterState("x", null, SETTINGS);
        assertThat(none.offerTransition(t)).isFalse();
    }

    @Test
    void adoptingANewerRingEndsTheTransitionAndAPersistedOneIsKeptOnlyIfItStillApplies() {
        Transition t = join("d");
        ClusterState state = new ClusterState("a", RING, SETTINGS, t);
        assertThat(state.transition()).isEqualTo(t);
        assertThat(state.offerRing(t.next())).isTrue();
        assertThat(state.transition()).isNull();
        assertThat(new ClusterState("a", t.next(), SETTINGS, t).transition()).as("stale on restart").isNull();
    }

    @Test
    void aMemberThatIsRemovedHasDeparted() {
        ClusterState state = new ClusterState("c", RING, SETTINGS);
        assertThat(state.departed()).isFalse();
        Ring without = Plan.of(RING.join("d", 3), List.of(Change.leave("c")), 3).next();
        state.offerRing(Ring.of(RING.version() + 5, without.owners()));
        assertThat(state.departed()).isTrue();
        assertThat(new ClusterState("z", RING, SETTINGS).departed()).as("never a member").isFalse();
        // Restarted after leaving: its stored ring no longer has it, its stored membership mark says it left.
        assertThat(new ClusterState("z", RING, SETTINGS, null, true).departed()).isTrue();
    }

    @Test
    void stagedChangesReplaceEarlierOnesForTheSameNode() {
        ClusterState state = new ClusterState("a", RING, SETTINGS);
        state.stage(Change.join("d"));
        state.stage(Change.leave("b"));
        state.stage(Change.leave("d"));
        assertThat(state.staged()).containsExactly(Change.leave("b"), Change.leave("d"));
        state.clearStaged(List.of(Change.leave("b")));
        assertThat(state.staged()).containsExactly(Change.leave("d"));
        state.clearStaged(null);
        assertThat(state.staged()).isEmpty();
    }
}
