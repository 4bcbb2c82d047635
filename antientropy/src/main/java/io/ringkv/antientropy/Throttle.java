package io.ringkv.antientropy;

/**
 * A budget of permits per second (anti-entropy spends one per key compared or repaired), so background
 * work cannot crowd out foreground requests. Permits are paid for after the fact: {@link #reserve}
 * grants them at once and returns how long the caller must wait before it spends the next ones, which
 * fits work whose size is known only once it is done (a segment listing's length). Idle time builds up
 * credit for at most {@code burstMillis} of work.
 *
 * <p>Time is the caller's: {@code nowNanos} comes from a monotonic clock. Not thread-safe.
 */
public final class Throttle {

    private final double nanosPerPermit;
    private final long burstNanos;
    private long nextFreeNanos;

    /**
     * @param permitsPerSecond the sustained rate, at least 1
     * @param burstMillis      how much idle time may be spent at once
     */
    public Throttle(int permitsPerSecond, long burstMillis, long nowNanos) {
        if (permitsPerSecond < 1) {
            throw new IllegalArgumentException("permitsPerSecond must be at least 1: " + permitsPerSecond);
        }
        this.nanosPerPermit = 1e9 / permitsPerSecond;
        this.burstNanos = Math.max(0, burstMillis) * 1_000_000;
        this.nextFreeNanos = nowNanos;
    }

    /**
     * Takes {@code permits} and returns the nanoseconds to wait before using them: 0 while the budget is
     * not overdrawn.
     */
    public long reserve(long permits, long nowNanos) {
        long wait = Math.max(0, nextFreeNanos - nowNanos);
        long start = Math.max(nextFreeNanos, nowNanos - burstNanos);
        nextFreeNanos = start + (long) Math.ceil(permits * nanosPerPermit);
        return wait;
    }
}
