package io.ringkv.node.maintenance;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this node's ownership handoff is doing, for {@code GET /cluster}: written by the maintenance loop,
 * read by any HTTP event loop.
 */
public final class HandoffProgress {

    /**
     * The partition being handed off now.
     *
     * @param kind      "transfer" (streaming to new owners before the ring changes) or "drop" (sending what
     *                  arrived since to the owners, then deleting this node's copy)
     * @param keysSent  keys sent so far in this job
     * @param keysQueued keys known to still need sending
     */
    public record Active(int partition, String kind, List<String> targets, long keysSent, long keysQueued,
                         long startedAtMillis) {
    }

    private volatile Active active;
    private volatile String waiting;
    private final AtomicLong keysSent = new AtomicLong();
    private final AtomicLong partitionsTransferred = new AtomicLong();
    private final AtomicLong partitionsDropped = new AtomicLong();

    /** The job in progress, or null. */
    public Active active() {
        return active;
    }

    /** Why handoff is waiting (a target down, backing off), or null. */
    public String waiting() {
        return waiting;
    }

    public long keysSent() {
        return keysSent.get();
    }

    public long partitionsTransferred() {
        return partitionsTransferred.get();
    }

    public long partitionsDropped() {
        return partitionsDropped.get();
    }

    void active(Active now) {
        active = now;
    }

    void waiting(String why) {
        waiting = why;
    }

    void sent(int keys) {
        keysSent.addAndGet(keys);
    }

    void transferred() {
        partitionsTransferred.incrementAndGet();
    }

    void dropped() {
        partitionsDropped.incrementAndGet();
    }
}
