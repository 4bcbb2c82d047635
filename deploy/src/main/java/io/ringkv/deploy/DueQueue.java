package io.ringkv.deploy;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The clients of a fixed-rate {@code kv bench} that wait for their next slot, started by one periodic
 * tick of the load generator's event loop rather than by a timer each: with a timer per request the
 * loop woke for nearly every request, and on a small machine the load generator shares the cores it
 * measures. Latency still counts from each slot, so the tick's delay is charged to the cluster, not
 * hidden. Confined to the thread of that event loop.
 */
final class DueQueue {

    private record Waiting(long dueAt, long order, Runnable start) {
    }

    private final PriorityQueue<Waiting> waiting = new PriorityQueue<>(
            Comparator.comparingLong(Waiting::dueAt).thenComparingLong(Waiting::order));
    private long added;

    /** Queues {@code start}, to run once {@code dueAt} (a {@link System#nanoTime} value) has come. */
    void add(long dueAt, Runnable start) {
        waiting.add(new Waiting(dueAt, added++, start));
    }

    /**
     * Starts every client due at or before {@code now}, earliest first (ties in the order queued).
     * Only those queued before the call: one started now and due again at once waits for the next tick.
     *
     * @return how many were started
     */
    int startDue(long now) {
        int started = 0;
        for (int n = waiting.size(); n > 0 && waiting.peek().dueAt() <= now; n--) {
            waiting.poll().start().run();
            started++;
        }
        return started;
    }

    /** Starts every queued client, due or not: at the end of a run, so each sees that it is over. */
    int startAll() {
        return startDue(Long.MAX_VALUE);
    }

    int size() {
        return waiting.size();
    }
}
