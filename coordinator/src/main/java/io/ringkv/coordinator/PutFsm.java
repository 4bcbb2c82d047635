package io.ringkv.coordinator;

import io.ringkv.ring.Target;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The write quorum of one put or delete, from the moment the coordinating replica has stored the new
 * state locally until W replicas hold it, or it is clear they cannot, or time runs out.
 *
 * <p>A plain state machine in the style of riak_kv_put_fsm: it does no I/O and keeps no clock. The
 * driver sends the new state to every target of {@link Step#send()}, then feeds back what happens with
 * {@link #onAck}, {@link #onError}, {@link #onSlow} and {@link #onTimeout}. Exactly one step carries a
 * non-null {@link Step#outcome()}; the driver replies to the client with it. Not thread-safe: one
 * request's events are delivered one at a time.
 *
 * <p>Sloppy quorum: when a target fails, or is slow, and sloppy quorums are on, the state is also sent to
 * the next unused fallback with a hint naming the primary it stands in for. Acknowledgements are counted
 * per distinct target, so a slow primary that answers after its fallback counts as well.
 */
public final class PutFsm {

    /** How the write ended, as far as the client is concerned. */
    public sealed interface Outcome permits Stored, Unavailable {
    }

    /** At least W targets acknowledged; {@code holders} are those that had when the quorum was met. */
    public record Stored(List<Target> holders) implements Outcome {
        public Stored {
            holders = List.copyOf(holders);
        }
    }

    /** Fewer than {@code needed} targets acknowledged ({@code acks} did); {@code reason} says why. */
    public record Unavailable(int acks, int needed, String reason) implements Outcome {
    }

    /** What the driver does next: send the state to {@code send}, and reply with {@code outcome} if non-null. */
    public record Step(List<Target> send, Outcome outcome) {
        static final Step NONE = new Step(List.of(), null);

        public Step {
            send = List.copyOf(send);
        }
    }

    private final int w;
    private final boolean sloppy;
    private final ArrayDeque<String> spareFallbacks;
    private final List<Target> remotes;
    private final Set<Target> outstanding = new LinkedHashSet<>();
    private final Set<Target> replaced = new HashSet<>();
    private final List<Target> holders = new ArrayList<>();
    private Outcome outcome;

    /**
     * @param w              acknowledgements needed, counting the coordinator's own
     * @param sloppy         whether failed or slow targets may be replaced by fallbacks
     * @param local          the target the coordinator stored the state as, or null if it stored nothing
     * @param remotes        the other targets, each to be sent the state
     * @param spareFallbacks up nodes not among the targets, in fallback order
     */
    public PutFsm(int w, boolean sloppy, Target local, Collection<Target> remotes, Collection<String> spareFallbacks) {
        if (w < 1) {
            throw new IllegalArgumentException("w must be at least 1, got " + w);
        }
        this.w = w;
        this.sloppy = sloppy;
        this.remotes = List.copyOf(remotes);
        this.spareFallbacks = new ArrayDeque<>(spareFallbacks);
        if (local != null) {
            holders.add(local);
        }
    }

    /** The first step: send to every remote target (and succeed at once if the local store was enough). */
    public Step start() {
        outstanding.addAll(remotes);
        return new Step(remotes, decide());
    }

    /** {@code target} stored the state. */
    public Step onAck(Target target) {
        if (outcome != null || !outstanding.remove(target)) {
            return Step.NONE;
        }
        holders.add(target);
        return new Step(List.of(), decide());
    }

    /** {@code target} refused the write or could not be reached. */
    public Step onError(Target target) {
        if (outcome != null || !outstanding.remove(target)) {
            return Step.NONE;
        }
        List<Target> send = replace(target);
        return new Step(send, decide());
    }

    /** {@code target} has not answered within the replica timeout: try a fallback too, keep waiting for it. */
    public Step onSlow(Target target) {
        if (outcome != null || !outstanding.contains(target)) {
            return Step.NONE;
        }
        return new Step(replace(target), decide());
    }

    /** The request's time is up: whatever has not been decided is unavailable. */
    public Step onTimeout() {
        if (outcome != null) {
            return Step.NONE;
        }
        outcome = new Unavailable(holders.size(), w, "timed out waiting for replicas");
        return new Step(List.of(), outcome);
    }

    /** True once an outcome has been handed out. */
    public boolean isDone() {
        return outcome != null;
    }

    /** Targets sent the state that have neither acknowledged nor failed yet. */
    public Set<Target> outstanding() {
        return Set.copyOf(outstanding);
    }

    private List<Target> replace(Target failed) {
        if (!sloppy || spareFallbacks.isEmpty() || !replaced.add(failed)) {
            return List.of();
        }
        String primary = failed.isHinted() ? failed.hintFor() : failed.node();
        Target fallback = new Target(spareFallbacks.poll(), primary);
        outstanding.add(fallback);
        return List.of(fallback);
    }

    private Outcome decide() {
        if (outcome != null) {
            return null;
        }
        if (holders.size() >= w) {
            outcome = new Stored(holders);
            return outcome;
        }
        int replaceable = 0;
        for (Target t : outstanding) {
            if (!replaced.contains(t)) {
                replaceable++;
            }
        }
        int reachable = holders.size() + outstanding.size() + (sloppy ? Math.min(spareFallbacks.size(), replaceable) : 0);
        if (reachable < w) {
            outcome = new Unavailable(holders.size(), w, "only " + reachable + " replicas can acknowledge");
            return outcome;
        }
        return null;
    }
}
