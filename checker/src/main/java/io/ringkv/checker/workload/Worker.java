package io.ringkv.checker.workload;

import java.util.function.BooleanSupplier;

/**
 * One client thread: performs operations at its share of the run's rate until the time limit, at
 * most {@code maxOps} of them. The pause before each operation is drawn uniformly from zero to
 * twice the mean interval (from the thread's seeded random), so threads do not march in step; a
 * thread that fell behind (a slow request) does not catch up in a burst.
 */
public final class Worker implements Runnable {

    private final WorkerContext ctx;
    private final Workload workload;
    private final long deadlineNanos;
    private final long meanIntervalNanos;
    private final long maxOps;
    private final BooleanSupplier stop;

    /**
     * @param deadlineNanos     the time limit on the recorder's clock
     * @param meanIntervalNanos the mean time between the starts of two operations of this thread
     * @param stop              true when the run is being cut short
     */
    public Worker(WorkerContext ctx, Workload workload, long deadlineNanos, long meanIntervalNanos, long maxOps,
                  BooleanSupplier stop) {
        this.ctx = ctx;
        this.workload = workload;
        this.deadlineNanos = deadlineNanos;
        this.meanIntervalNanos = meanIntervalNanos;
        this.maxOps = maxOps;
        this.stop = stop;
    }

    @Override
    public void run() {
        HistoryRecorder clock = ctx.recorder();
        long next = clock.now() + pause();
        for (long n = 0; n < maxOps && !stop.getAsBoolean(); n++) {
            long wait = next - clock.now();
            if (next >= deadlineNanos) {
                return;
            }
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            workload.perform(ctx);
            next = Math.max(next + pause(), clock.now());
        }
    }

    private long pause() {
        return (long) (ctx.random().nextDouble() * 2 * meanIntervalNanos);
    }
}
