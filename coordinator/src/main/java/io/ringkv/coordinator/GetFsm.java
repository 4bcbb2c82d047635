package io.ringkv.coordinator;

import io.ringkv.ring.Target;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.StoredValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The read quorum of one get, and the read repair that follows it.
 *
 * <p>A plain state machine in the style of riak_kv_get_fsm: no I/O, no clock. The driver asks every
 * target for its state, then feeds back {@link #onReply}, {@link #onError}, {@link #onRepairAck},
 * {@link #onRepairError} and {@link #onTimeout}. Exactly one step carries a non-null outcome. The
 * machine is finished once every target has answered or time ran out; until then it keeps collecting
 * late replies so that read repair sees them.
 *
 * <p>The merged state of the R replies is the answer. With {@link ReadRepair#ASYNC} the answer goes out
 * at once and, when all targets have answered, every replica whose state differs from the merge of all
 * replies is sent that merge. With {@link ReadRepair#SYNC} the answer goes out only once W targets hold
 * it (those that already did plus those that acknowledged the write-back). Repairs send merged states,
 * never one replica's view, so a sibling held by any replica is never lost; a replica merges a repair
 * into what it has.
 *
 * <p>A target that has no value replies with {@link DvvSet#empty()}; an empty merge is "not found".
 */
public final class GetFsm {

    /** How the read ended, as far as the client is concerned. */
    public sealed interface Outcome permits Found, Unavailable {
    }

    /** The merged state of at least R replies; empty when no replica had the key. */
    public record Found(DvvSet<StoredValue> state, int replies) implements Outcome {
    }

    /** Fewer than {@code needed} replicas answered ({@code got} did); {@code reason} says why. */
    public record Unavailable(int got, int needed, String reason) implements Outcome {
    }

    /** Send {@code state} to {@code target}, which merges it into its own. */
    public record Repair(Target target, DvvSet<StoredValue> state) {
    }

    /** What the driver does next: send the repairs, and reply with {@code outcome} if non-null. */
    public record Step(List<Repair> repairs, Outcome outcome) {
        static final Step NONE = new Step(List.of(), null);

        public Step {
            repairs = List.copyOf(repairs);
        }
    }

    private final int r;
    private final int w;
    private final ReadRepair mode;
    private final ConflictMode conflicts;
    private final List<Target> targets;
    private final Map<Target, DvvSet<StoredValue>> replies = new LinkedHashMap<>();
    private final Set<Target> failed = new HashSet<>();
    /** What each target was sent as a repair; a target is never sent the same state twice. */
    private final Map<Target, DvvSet<StoredValue>> repaired = new HashMap<>();
    private Outcome outcome;
    private boolean finished;

    // Synchronous read repair: the state the read will return, and the targets known to hold it.
    private DvvSet<StoredValue> chosen;
    private final Set<Target> holders = new HashSet<>();
    private final Set<Target> repairsPending = new HashSet<>();

    /**
     * @param r         replies needed
     * @param w         holders needed before replying, with {@link ReadRepair#SYNC}
     * @param mode      when stale replicas are repaired
     * @param conflicts how replies are merged
     * @param targets   every target asked for its state
     */
    public GetFsm(int r, int w, ReadRepair mode, ConflictMode conflicts, List<Target> targets) {
        if (r < 1 || w < 1) {
            throw new IllegalArgumentException("r and w must be at least 1, got r=" + r + " w=" + w);
        }
        this.r = r;
        this.w = w;
        this.mode = mode;
        this.conflicts = conflicts;
        this.targets = List.copyOf(targets);
    }

    /** The first step: fails at once when there are fewer targets than R. */
    public Step start() {
        return new Step(List.of(), decide());
    }

    /** {@code target} answered with its state (empty when it has no value). */
    public Step onReply(Target target, DvvSet<StoredValue> state) {
        if (finished || !targets.contains(target) || replies.containsKey(target) || failed.contains(target)) {
            return Step.NONE;
        }
        replies.put(target, state);
        List<Repair> repairs = new ArrayList<>();
        if (outcome == null && chosen == null && replies.size() >= r) {
            DvvSet<StoredValue> merged = mergeReplies();
            if (mode == ReadRepair.ASYNC) {
                outcome = new Found(merged, replies.size());
                return finishIfComplete(repairs, outcome);
            }
            chosen = merged;
            replies.forEach((t, s) -> {
                if (s.equals(chosen)) {
                    holders.add(t);
                }
            });
            if (holders.size() < w) {
                for (Target t : targets) {
                    if (!holders.contains(t) && !failed.contains(t)) {
                        repairs.add(repair(t, chosen));
                        repairsPending.add(t);
                    }
                }
            }
        } else if (chosen != null && state.equals(chosen)) {
            holders.add(target);
        }
        return finishIfComplete(repairs, decide());
    }

    /** {@code target} could not be read. */
    public Step onError(Target target) {
        if (finished || !targets.contains(target) || replies.containsKey(target) || !failed.add(target)) {
            return Step.NONE;
        }
        repairsPending.remove(target);
        return finishIfComplete(new ArrayList<>(), decide());
    }

    /** {@code target} merged the state it was sent as a repair. */
    public Step onRepairAck(Target target) {
        if (!repairsPending.remove(target)) {
            return Step.NONE;
        }
        holders.add(target);
        return new Step(List.of(), decide());
    }

    /** {@code target} could not be repaired. */
    public Step onRepairError(Target target) {
        if (!repairsPending.remove(target)) {
            return Step.NONE;
        }
        return new Step(List.of(), decide());
    }

    /** The request's time is up: decide with what arrived, and repair what can be repaired with it. */
    public Step onTimeout() {
        if (finished) {
            return Step.NONE;
        }
        Outcome now = null;
        if (outcome == null) {
            outcome = new Unavailable(mode == ReadRepair.SYNC && chosen != null ? holders.size() : replies.size(),
                    mode == ReadRepair.SYNC && chosen != null ? w : r, "timed out waiting for replicas");
            now = outcome;
        }
        List<Repair> repairs = new ArrayList<>();
        finish(repairs);
        return new Step(repairs, now);
    }

    /** True once every target answered (or time ran out) and the final repairs were handed out. */
    public boolean isFinished() {
        return finished;
    }

    /** True once an outcome has been handed out. */
    public boolean isDecided() {
        return outcome != null;
    }

    private Outcome decide() {
        if (outcome != null) {
            return null;
        }
        if (chosen != null) {
            if (holders.size() >= w) {
                outcome = new Found(chosen, replies.size());
                return outcome;
            }
            if (holders.size() + repairsPending.size() < w) {
                outcome = new Unavailable(holders.size(), w, "could not write the read value back to a write quorum");
                return outcome;
            }
            return null;
        }
        int possible = targets.size() - failed.size();
        if (possible < r) {
            outcome = new Unavailable(replies.size(), r, "only " + possible + " replicas can answer");
            return outcome;
        }
        return null;
    }

    private Step finishIfComplete(List<Repair> repairs, Outcome decided) {
        if (replies.size() + failed.size() == targets.size()) {
            finish(repairs);
        }
        return new Step(repairs, decided);
    }

    private void finish(List<Repair> repairs) {
        if (finished) {
            return;
        }
        finished = true;
        if (replies.isEmpty()) {
            return;
        }
        DvvSet<StoredValue> all = mergeReplies();
        if (all.entries().isEmpty()) {
            return;
        }
        replies.forEach((t, s) -> {
            if (!s.equals(all) && !all.equals(repaired.get(t))) {
                repairs.add(repair(t, all));
            }
        });
    }

    private Repair repair(Target t, DvvSet<StoredValue> state) {
        repaired.put(t, state);
        return new Repair(t, state);
    }

    private DvvSet<StoredValue> mergeReplies() {
        DvvSet<StoredValue> merged = DvvSet.empty();
        for (DvvSet<StoredValue> s : replies.values()) {
            merged = conflicts.merge(merged, s);
        }
        return merged;
    }
}
