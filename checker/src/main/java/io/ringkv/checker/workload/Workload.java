package io.ringkv.checker.workload;

import io.ringkv.checker.history.EventType;
import io.ringkv.client.ReadOptions;
import java.util.List;

/**
 * What the clients of a run do. Every choice (which operation, which key, which value) comes from
 * the thread's seeded random, a fixed number of draws per operation, so the same seed gives every
 * thread the same sequence of operations. Implementations are shared by all threads and thread-safe.
 */
public interface Workload {

    /** {@code register}, {@code set} or {@code mixed}. */
    String name();

    /** Chooses, performs and records one operation. Never throws for a failed request: it is recorded. */
    void perform(WorkerContext ctx);

    /** The keys operations touched so far, sorted. */
    List<String> keys();

    /** Whether {@code key} is one of this workload's. */
    boolean owns(String key);

    /**
     * Reads {@code key} after the run and records the read as this workload's checkers expect it.
     *
     * @param options the read's quorum: every replica, with synchronous read repair
     * @return how the read ended
     */
    EventType finalRead(WorkerContext ctx, String key, ReadOptions options);
}
