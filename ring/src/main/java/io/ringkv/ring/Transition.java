package io.ringkv.ring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A committed ring change in progress: the ring the cluster moves to and the handoffs already done.
 *
 * <p>For every partition whose primaries change, each current primary of the partition streams its
 * copy of the partition's data to each newcomer (a primary in {@link #next()} but not in the current
 * ring); one such duty is a {@link Source}. Every current primary streams, not just one: a write
 * acknowledged by W of N replicas may be missing on any one of them, and a newcomer that merges all
 * copies holds every acknowledged write. When every source has reported done, the transition is complete
 * and every node adopts {@link #next()} as its ring; nodes that stop being primaries then send what they
 * received since and drop their copies.
 *
 * <p>Transitions spread by gossip: the done sets of two views of the same transition are united, and of
 * two different transitions from the same ring (two commits raced) the one whose next ring is greater in
 * {@link Ring#compareTo} order wins everywhere, whatever order nodes hear them in.
 *
 * @param next the ring being moved to, one version after the current one
 * @param n    the replication factor the handoffs are planned for
 * @param done the sources that finished streaming
 */
public record Transition(Ring next, int n, Set<Source> done) {

    /** A duty of one transition: {@code node}, a current primary of {@code partition}, streams it to the newcomers. */
    public record Source(int partition, String node) implements Comparable<Source> {
        public Source {
            if (partition < 0) {
                throw new IllegalArgumentException("partition must not be negative: " + partition);
            }
            Objects.requireNonNull(node, "node");
        }

        @Override
        public int compareTo(Source o) {
            int byPartition = Integer.compare(partition, o.partition);
            return byPartition != 0 ? byPartition : node.compareTo(o.node);
        }
    }

    public Transition {
        Objects.requireNonNull(next, "next");
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1: " + n);
        }
        done = Collections.unmodifiableSortedSet(new TreeSet<>(done));
    }

    /** A transition from {@code current} to {@code next} with nothing done yet. */
    public static Transition start(Ring current, Ring next, int n) {
        if (next.version() != current.version() + 1) {
            throw new IllegalArgumentException("the next ring must be version " + (current.version() + 1)
                    + ", not " + next.version());
        }
        if (next.partitionCount() != current.partitionCount()) {
            throw new IllegalArgumentException("partition counts differ");
        }
        return new Transition(next, n, Set.of());
    }

    /** Whether this transition leads on from {@code current}. */
    public boolean follows(Ring current) {
        return current != null && next.version() == current.version() + 1
                && next.partitionCount() == current.partitionCount();
    }

    /** The nodes that become primaries of {@code partition} with this transition, in preference order. */
    public List<String> newcomers(Ring current, int partition) {
        List<String> before = current.preferenceList(partition, n).primaries();
        List<String> joining = new ArrayList<>();
        for (String node : next.preferenceList(partition, n).primaries()) {
            if (!before.contains(node)) {
                joining.add(node);
            }
        }
        return joining;
    }

    /** Every duty of this transition from {@code current}, in partition order. */
    public List<Source> sources(Ring current) {
        List<Source> sources = new ArrayList<>();
        for (int p = 0; p < current.partitionCount(); p++) {
            if (!newcomers(current, p).isEmpty()) {
                for (String node : current.preferenceList(p, n).primaries()) {
                    sources.add(new Source(p, node));
                }
            }
        }
        return sources;
    }

    /** The duties of {@code node} not done yet, in partition order. */
    public List<Source> pendingFor(Ring current, String node) {
        List<Source> pending = new ArrayList<>();
        for (Source s : sources(current)) {
            if (s.node().equals(node) && !done.contains(s)) {
                pending.add(s);
            }
        }
        return pending;
    }

    /** True when every duty is done: the cluster can move to {@link #next()}. */
    public boolean isComplete(Ring current) {
        return done.containsAll(sources(current));
    }

    /** This transition with {@code source} done. */
    public Transition withDone(Source source) {
        if (done.contains(source)) {
            return this;
        }
        Set<Source> more = new TreeSet<>(done);
        more.add(source);
        return new Transition(next, n, more);
    }

    /**
     * What a node that knows this transition makes of {@code other}: the union of the done sets for the
     * same transition, otherwise the one whose next ring is greater.
     */
    public Transition merge(Transition other) {
        if (other.next.equals(next) && other.n == n) {
            if (done.containsAll(other.done)) {
                return this;
            }
            Set<Source> union = new TreeSet<>(done);
            union.addAll(other.done);
            return new Transition(next, n, union);
        }
        int order = other.next.compareTo(next);
        return order > 0 || (order == 0 && other.n > n) ? other : this;
    }
}
