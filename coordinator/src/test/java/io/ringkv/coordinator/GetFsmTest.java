package io.ringkv.coordinator;

import io.ringkv.ring.Target;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class GetFsmTest {

    private static final Target A = new Target("a", null);
    private static final Target B = new Target("b", null);
    private static final Target C = new Target("c", null);

    static StoredValue value(String s) {
        return StoredValue.of(s.getBytes(StandardCharsets.UTF_8), "text/plain", 1);
    }

    static DvvSet<StoredValue> write(DvvSet<StoredValue> on, VersionVector context, String v, String node) {
        return on.update(context, value(v), node);
    }

    private static List<String> texts(DvvSet<StoredValue> state) {
        return state.values().stream().map(v -> new String(v.bytes(), StandardCharsets.UTF_8)).sorted().toList();
    }

    @Test
    void answersWithTheMergeOfRRepliesAndRepairsTheStaleReplicaOnceAllAnswered() {
        DvvSet<StoredValue> v1 = write(DvvSet.empty(), VersionVector.empty(), "v1", "a");
        DvvSet<StoredValue> v2 = write(v1, v1.context(), "v2", "a");
        GetFsm fsm = new GetFsm(2, 2, ReadRepair.ASYNC, ConflictMode.SIBLINGS, List.of(A, B, C));
        assertThat(fsm.start().outcome()).isNull();
        assertThat(fsm.onReply(A, v2).outcome()).isNull();
        GetFsm.Step second = fsm.onReply(B, v2);
        assertThat(second.outcome()).isEqualTo(new GetFsm.Found(v2, 2));
        assertThat(second.repairs()).isEmpty();

        GetFsm.Step last = fsm.onReply(C, v1);
        assertThat(last.outcome()).isNull();
        assertThat(last.repairs()).containsExactly(new GetFsm.Repair(C, v2));
        assertThat(fsm.isFinished()).isTrue();
    }

    @Test
    void concurrentRepliesAreMergedIntoSiblingsAndBothReplicasRepaired() {
        DvvSet<StoredValue> onA = write(DvvSet.empty(), VersionVector.empty(), "x", "a");
        DvvSet<StoredValue> onB = write(DvvSet.empty(), VersionVector.empty(), "y", "b");
        GetFsm fsm = new GetFsm(2, 2, ReadRepair.ASYNC, ConflictMode.SIBLINGS, List.of(A, B));
        fsm.onReply(A, onA);
        GetFsm.Step step = fsm.onReply(B, onB);
        DvvSet<StoredValue> merged = ((GetFsm.Found) step.outcome()).state();
        assertThat(texts(merged)).containsExactly("x", "y");
        assertThat(step.repairs()).containsExactlyInAnyOrder(new GetFsm.Repair(A, merged), new GetFsm.Repair(B, merged));
    }

    @Test
    void aKeyNoReplicaHasIsFoundEmptyAndNeedsNoRepair() {
        GetFsm fsm = new GetFsm(2, 2, ReadRepair.ASYNC, ConflictMode.SIBLINGS, List.of(A, B, C));
        fsm.onReply(A, DvvSet.empty());
        assertThat(fsm.onReply(B, DvvSet.empty()).outcome()).isEqualTo(new GetFsm.Found(DvvSet.empty(), 2));
        assertThat(fsm.onReply(C, DvvSet.empty()).repairs()).isEmpty();
    }

    @Test
    void aReplicaThatHasNothingGetsTheValue() {
        DvvSet<StoredValue> v = write(DvvSet.empty(), VersionVector.empty(), "v", "a");
        GetFsm fsm = new GetFsm(1, 2, ReadRepair.ASYNC, ConflictMode.SIBLINGS, List.of(A, B));
        assertThat(fsm.onReply(B, DvvSet.empty()).outcome()).isEqualTo(new GetFsm.Found(DvvSet.empty(), 1));
        assertThat(fsm.onReply(A, v).repairs()).containsExactly(new GetFsm.Repair(B, v));
    }

    @Test
    void synchronousRepairAnswersOnlyOnceAWriteQuorumHoldsTheAnswer() {
        DvvSet<StoredValue> old = write(DvvSet.empty(), VersionVector.empty(), "old", "a");
        DvvSet<StoredValue> fresh = write(old, old.context(), "new", "a");
        GetFsm fsm = new GetFsm(2, 2, ReadRepair.SYNC, ConflictMode.SIBLINGS, List.of(A, B, C));
        fsm.onReply(A, fresh);
        GetFsm.Step step = fsm.onReply(B, old);
        assertThat(step.outcome()).as("only A holds the answer yet").isNull();
        assertThat(step.repairs()).containsExactlyInAnyOrder(new GetFsm.Repair(B, fresh), new GetFsm.Repair(C, fresh));
        assertThat(fsm.onRepairAck(C).outcome()).isEqualTo(new GetFsm.Found(fresh, 2));
    }

    @Test
    void synchronousRepairFailsWhenTheWriteBackCannotReachW() {
        DvvSet<StoredValue> old = write(DvvSet.empty(), VersionVector.empty(), "old", "a");
        DvvSet<StoredValue> fresh = write(old, old.context(), "new", "a");
        GetFsm fsm = new GetFsm(2, 3, ReadRepair.SYNC, ConflictMode.SIBLINGS, List.of(A, B, C));
        fsm.onReply(A, fresh);
        fsm.onReply(B, old);
        assertThat(fsm.onRepairError(C).outcome()).isInstanceOf(GetFsm.Unavailable.class);
    }

    @Test
    void failsAsSoonAsRRepliesAreImpossible() {
        GetFsm fsm = new GetFsm(2, 2, ReadRepair.ASYNC, ConflictMode.SIBLINGS, List.of(A, B, C));
        fsm.onError(A);
        assertThat(fsm.onError(B).outcome()).isEqualTo(new GetFsm.Unavailable(0, 2, "only 1 replicas can answer"));
    }

    @Test
    void timeoutFailsAndStillRepairsWithWhatArrived() {
        DvvSet<StoredValue> v = write(DvvSet.empty(), VersionVector.empty(), "v", "a");
        GetFsm fsm = new GetFsm(3, 2, ReadRepair.ASYNC, ConflictMode.SIBLINGS, List.of(A, B, C));
        fsm.onReply(A, v);
        fsm.onReply(B, DvvSet.empty());
        GetFsm.Step step = fsm.onTimeout();
        assertThat(step.outcome()).isEqualTo(new GetFsm.Unavailable(2, 3, "timed out waiting for replicas"));
        assertThat(step.repairs()).containsExactly(new GetFsm.Repair(B, v));
        assertThat(fsm.isFinished()).isTrue();
    }

    @Test
    void lastWriterWinsKeepsOnlyTheNewestOfConcurrentValues() {
        DvvSet<StoredValue> onA = DvvSet.<StoredValue>empty().update(VersionVector.empty(),
                StoredValue.of("older".getBytes(StandardCharsets.UTF_8), "text/plain", 10), "a");
        DvvSet<StoredValue> onB = DvvSet.<StoredValue>empty().update(VersionVector.empty(),
                StoredValue.of("newer".getBytes(StandardCharsets.UTF_8), "text/plain", 20), "b");
        GetFsm fsm = new GetFsm(2, 2, ReadRepair.ASYNC, ConflictMode.LWW, List.of(A, B));
        fsm.onReply(A, onA);
        DvvSet<StoredValue> merged = ((GetFsm.Found) fsm.onReply(B, onB).outcome()).state();
        assertThat(texts(merged)).containsExactly("newer");
    }

    /**
     * Read repair never loses a sibling: the answer covers each of the replies it was made from, no
     * repair holds anything the replies did not, and once all replied the repairs carry the merge of
     * every reply to each replica that lacked part of it.
     */
    @Property(tries = 300)
    void repairsAndAnswersNeverLoseAConcurrentValue(@ForAll @IntRange(min = 1, max = 3) int r, @ForAll long seed,
                                                    @ForAll boolean sync) {
        Random random = new Random(seed);
        List<Target> targets = List.of(A, B, C);
        Map<Target, DvvSet<StoredValue>> states = new HashMap<>();
        DvvSet<StoredValue> shared = DvvSet.empty();
        for (Target t : targets) {
            DvvSet<StoredValue> s = random.nextBoolean() ? shared : DvvSet.empty();
            for (int i = random.nextInt(3); i > 0; i--) {
                s = write(s, random.nextBoolean() ? s.context() : VersionVector.empty(), t.node() + i + "/" + seed, t.node());
            }
            if (random.nextBoolean()) {
                shared = s;
            }
            states.put(t, s);
        }
        DvvSet<StoredValue> all = DvvSet.empty();
        for (DvvSet<StoredValue> s : states.values()) {
            all = all.sync(s);
        }
        GetFsm fsm = new GetFsm(r, 2, sync ? ReadRepair.SYNC : ReadRepair.ASYNC, ConflictMode.SIBLINGS, targets);
        List<GetFsm.Repair> repairs = new ArrayList<>();
        GetFsm.Found answer = null;
        for (Target t : targets) {
            GetFsm.Step step = fsm.onReply(t, states.get(t));
            repairs.addAll(step.repairs());
            if (step.outcome() instanceof GetFsm.Found f) {
                answer = f;
            }
        }
        for (GetFsm.Repair repair : new ArrayList<>(repairs)) {
            GetFsm.Step step = fsm.onRepairAck(repair.target());
            if (step.outcome() instanceof GetFsm.Found f) {
                answer = f;
            }
        }
        assertThat(answer).isNotNull();
        for (int i = 0; i < r; i++) {
            assertThat(answer.state().descends(states.get(targets.get(i)))).isTrue();
        }
        for (GetFsm.Repair repair : repairs) {
            assertThat(all.descends(repair.state())).isTrue();
        }
        for (Target t : targets) {
            if (!states.get(t).equals(all)) {
                assertThat(repairs).as("the final repair of %s", t.node()).contains(new GetFsm.Repair(t, all));
            }
        }
        assertThat(fsm.isFinished()).isTrue();
    }
}
