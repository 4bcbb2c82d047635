package io.ringkv.ring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What committing staged membership changes would do, as Riak's staged clustering shows before a
 * commit: the next ring (one version after the current one) and the transfers that move data to the
 * nodes that become replicas. A plan that cannot be carried out safely is refused when it is made.
 */
public final class Plan {

    /** The changes cannot be planned; the message says why, for an operator to read. */
    public static final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    private final Ring current;
    private final Ring next;
    private final List<Change> changes;
    private final List<Transfer> transfers;

    private Plan(Ring current, Ring next, List<Change> changes, List<Transfer> transfers) {
        this.current = current;
        this.next = next;
        this.changes = List.copyOf(changes);
        this.transfers = List.copyOf(transfers);
    }

    /**
     * Plans {@code changes}, applied in order to {@code current}, for replication factor {@code n}.
     *
     * @throws RefusedException if there is nothing to do, a node joins twice or is already a member, a
     *                          leaving node is not a member, or the ring would have fewer than
     *                          {@code n} members, which would leave partitions with fewer than
     *                          {@code n} distinct owners
     */
    public static Plan of(Ring current, List<Change> changes, int n) {
        if (changes.isEmpty()) {
            throw new RefusedException("no staged changes to plan");
        }
        Set<String> seen = new HashSet<>();
        Ring ring = current;
        for (Change c : changes) {
            if (!seen.add(c.node())) {
                throw new RefusedException(c.node() + " is staged more than once");
            }
            if (c.kind() == Change.Kind.JOIN) {
                if (ring.members().contains(c.node())) {
                    throw new RefusedException(c.node() + " is already a member");
                }
                if (ring.members().size() == ring.partitionCount()) {
                    throw new RefusedException("a ring of " + ring.partitionCount() + " partitions holds at most "
                            + ring.partitionCount() + " members");
                }
                ring = ring.join(c.node(), n);
            } else {
                if (!ring.members().contains(c.node())) {
                    throw new RefusedException(c.node() + " is not a member");
                }
                if (ring.members().size() <= n) {
                    throw new RefusedException("removing " + c.node() + " leaves " + (ring.members().size() - 1)
                            + " members: with n=" + n + " some partitions would have fewer than " + n + " distinct owners");
                }
                ring = ring.leave(c.node(), n);
            }
        }
        Ring next = Ring.of(current.version() + 1, ring.owners());
        return new Plan(current, next, changes, current.transfersTo(next, n));
    }

    public Ring current() {
        return current;
    }

    /** The ring the plan leads to, one version after {@link #current()}. */
    public Ring next() {
        return next;
    }

    public List<Change> changes() {
        return changes;
    }

    /** The data to move, one transfer per partition and new replica. */
    public List<Transfer> transfers() {
        return transfers;
    }

    /** Partitions whose owner changes. */
    public List<Integer> movedPartitions() {
        List<Integer> moved = new ArrayList<>();
        for (int p = 0; p < current.partitionCount(); p++) {
            if (!current.owner(p).equals(next.owner(p))) {
                moved.add(p);
            }
        }
        return moved;
    }
}
