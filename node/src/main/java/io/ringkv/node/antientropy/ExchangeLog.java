package io.ringkv.node.antientropy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the exchanges this node started did: the last one of each partition with each peer, and totals
 * per partition. Written by the exchanges, read by {@code GET /cluster/aae} from any thread.
 */
public final class ExchangeLog {

    /** How an exchange ended. */
    public enum Outcome {
        /** Every differing key was synchronized. */
        COMPLETED,
        /** A tree was not built yet (after a start or a crash): tried again soon, nothing is wrong. */
        NOT_READY,
        /** The peer failed, timed out or answered nonsense; what was repaired before stays repaired. */
        FAILED
    }

    /**
     * One finished exchange.
     *
     * @param startedAtMillis  wall-clock start
     * @param error            why it did not complete, or null
     * @param segmentsDiffering segments whose leaves differed
     * @param keysCompared     keys listed in those segments, on either side
     * @param keysRepaired     keys found to differ and synchronized on both replicas
     * @param bytes            bytes this node sent and received for it, frames included
     */
    public record Exchange(int partition, String peer, long startedAtMillis, long durationMs, Outcome outcome,
                           String error, long segmentsDiffering, long keysCompared, long keysRepaired, long bytes) {
    }

    /** Totals over every exchange this node started. */
    public record Totals(long completed, long failed, long keysCompared, long keysRepaired, long bytes) {
    }

    private record Pair(int partition, String peer) {
    }

    private final Map<Pair, Exchange> last = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> repairedByPartition = new ConcurrentHashMap<>();
    private final Set<Pair> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong keysCompared = new AtomicLong();
    private final AtomicLong keysRepaired = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    void started(int partition, String peer) {
        running.add(new Pair(partition, peer));
    }

    void record(Exchange e) {
        Pair pair = new Pair(e.partition(), e.peer());
        last.put(pair, e);
        running.remove(pair);
        (e.outcome() == Outcome.COMPLETED ? completed : failed).incrementAndGet();
        keysCompared.addAndGet(e.keysCompared());
        keysRepaired.addAndGet(e.keysRepaired());
        bytes.addAndGet(e.bytes());
        if (e.keysRepaired() > 0) {
            repairedByPartition.computeIfAbsent(e.partition(), p -> new AtomicLong()).addAndGet(e.keysRepaired());
        }
    }

    /** True while an exchange of {@code partition} with {@code peer} runs. */
    public boolean isRunning(int partition, String peer) {
        return running.contains(new Pair(partition, peer));
    }

    public Totals totals() {
        return new Totals(completed.get(), failed.get(), keysCompared.get(), keysRepaired.get(), bytes.get());
    }

    /** The last exchange of {@code partition} with {@code peer}, or null if there was none. */
    public Exchange last(int partition, String peer) {
        return last.get(new Pair(partition, peer));
    }

    /** The last exchange of {@code partition} with each peer, by peer. */
    public List<Exchange> lastOf(int partition) {
        List<Exchange> out = new ArrayList<>();
        last.forEach((pair, e) -> {
            if (pair.partition() == partition) {
                out.add(e);
            }
        });
        out.sort(Comparator.comparing(Exchange::peer));
        return out;
    }

    /** Keys repaired in {@code partition} by exchanges this node started, since it started. */
    public long repaired(int partition) {
        AtomicLong n = repairedByPartition.get(partition);
        return n == null ? 0 : n.get();
    }
}
