package io.ringkv.coordinator;

import io.ringkv.ring.Target;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PutFsmTest {

    private static final Target A = new Target("a", null);
    private static final Target B = new Target("b", null);
    private static final Target C = new Target("c", null);

    @Test
    void storesOnceTheLocalWriteAndOneRemoteAckMakeW() {
        PutFsm fsm = new PutFsm(2, true, A, List.of(B, C), List.of("d"));
        PutFsm.Step start = fsm.start();
        assertThat(start.send()).containsExactly(B, C);
        assertThat(start.outcome()).isNull();

        PutFsm.Step ack = fsm.onAck(C);
        assertThat(ack.outcome()).isEqualTo(new PutFsm.Stored(List.of(A, C)));
        assertThat(fsm.isDone()).isTrue();
        assertThat(fsm.onAck(B).outcome()).as("the outcome is handed out once").isNull();
    }

    @Test
    void wOfOneIsMetByTheCoordinatorAlone() {
        PutFsm fsm = new PutFsm(1, false, A, List.of(B, C), List.of());
        assertThat(fsm.start().outcome()).isInstanceOf(PutFsm.Stored.class);
    }

    @Test
    void aFailedPrimaryIsReplacedByTheNextFallbackWithAHintWhenSloppy() {
        PutFsm fsm = new PutFsm(3, true, A, List.of(B, C), List.of("d", "e"));
        fsm.start();
        PutFsm.Step failed = fsm.onError(C);
        assertThat(failed.send()).containsExactly(new Target("d", "c"));
        assertThat(failed.outcome()).isNull();
        fsm.onAck(B);
        assertThat(fsm.onAck(new Target("d", "c")).outcome()).isInstanceOf(PutFsm.Stored.class);
    }

    @Test
    void aFailedFallbackPassesItsHintOnToTheNextFallback() {
        Target hinted = new Target("d", "c");
        PutFsm fsm = new PutFsm(2, true, A, List.of(hinted), List.of("e"));
        fsm.start();
        assertThat(fsm.onError(hinted).send()).containsExactly(new Target("e", "c"));
    }

    @Test
    void withoutSloppyQuorumsAFailureThatMakesWUnreachableFailsAtOnce() {
        PutFsm fsm = new PutFsm(3, false, A, List.of(B, C), List.of("d"));
        fsm.start();
        PutFsm.Step failed = fsm.onError(B);
        assertThat(failed.send()).isEmpty();
        assertThat(failed.outcome()).isEqualTo(new PutFsm.Unavailable(1, 3, "only 2 replicas can acknowledge"));
    }

    @Test
    void aSlowReplicaGetsAFallbackButItsLateAckStillCounts() {
        PutFsm fsm = new PutFsm(3, true, A, List.of(B, C), List.of("d"));
        fsm.start();
        assertThat(fsm.onSlow(C).send()).containsExactly(new Target("d", "c"));
        assertThat(fsm.onSlow(C).send()).as("one fallback per replica").isEmpty();
        fsm.onAck(B);
        assertThat(fsm.onAck(C).outcome()).isEqualTo(new PutFsm.Stored(List.of(A, B, C)));
    }

    @Test
    void timeoutReportsHowManyAcknowledged() {
        PutFsm fsm = new PutFsm(3, true, A, List.of(B, C), List.of());
        fsm.start();
        fsm.onAck(B);
        assertThat(fsm.onTimeout().outcome()).isEqualTo(new PutFsm.Unavailable(2, 3, "timed out waiting for replicas"));
        assertThat(fsm.onAck(C).outcome()).isNull();
    }

    @Test
    void aCoordinatorThatStoredNothingNeedsWRemoteAcks() {
        PutFsm fsm = new PutFsm(2, false, null, List.of(A, B), List.of());
        fsm.start();
        assertThat(fsm.onAck(A).outcome()).isNull();
        assertThat(fsm.onAck(B).outcome()).isInstanceOf(PutFsm.Stored.class);
    }

    /**
     * Whatever the order of acks, errors, slow replicas and the timeout: exactly one outcome, Stored only
     * with at least W distinct holders, no node ever sent the state twice, and every hint names a primary.
     */
    @Property
    void outcomeIsDecidedOnceAndHonestly(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 5) int w,
                                         @ForAll @IntRange(min = 0, max = 3) int spare, @ForAll boolean sloppy,
                                         @ForAll long seed) {
        int quorum = Math.min(w, n);
        List<Target> remotes = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            remotes.add(new Target("p" + i, null));
        }
        List<String> fallbacks = new ArrayList<>();
        for (int i = 0; i < spare; i++) {
            fallbacks.add("f" + i);
        }
        PutFsm fsm = new PutFsm(quorum, sloppy, new Target("p0", null), remotes, fallbacks);
        Random random = new Random(seed);
        List<Target> inFlight = new ArrayList<>();
        Set<String> sentTo = new HashSet<>(Set.of("p0"));
        Set<Target> holders = new HashSet<>(Set.of(new Target("p0", null)));
        List<PutFsm.Outcome> outcomes = new ArrayList<>();
        PutFsm.Step step = fsm.start();
        for (int round = 0; round < 50; round++) {
            for (Target t : step.send()) {
                assertThat(sentTo.add(t.node())).as("state sent to %s twice", t.node()).isTrue();
                if (t.isHinted()) {
                    assertThat(t.hintFor()).startsWith("p");
                }
                inFlight.add(t);
            }
            if (step.outcome() != null) {
                outcomes.add(step.outcome());
            }
            if (inFlight.isEmpty() || round == 49) {
                step = fsm.onTimeout();
                if (step.outcome() != null) {
                    outcomes.add(step.outcome());
                }
                break;
            }
            Target t = inFlight.get(random.nextInt(inFlight.size()));
            switch (random.nextInt(3)) {
                case 0 -> {
                    inFlight.remove(t);
                    if (!fsm.isDone()) {
                        holders.add(t);
                    }
                    step = fsm.onAck(t);
                }
                case 1 -> {
                    inFlight.remove(t);
                    step = fsm.onError(t);
                }
                default -> step = fsm.onSlow(t);
            }
        }
        assertThat(outcomes).hasSize(1);
        if (outcomes.get(0) instanceof PutFsm.Stored stored) {
            assertThat(new HashSet<>(stored.holders())).hasSizeGreaterThanOrEqualTo(quorum).isSubsetOf(holders);
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }
}
