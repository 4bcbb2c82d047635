package io.ringkv.node.storage;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs blocking storage work off the event loops, on a fixed set of single-threaded stripes. All work
 * for one key runs on the same stripe, in submission order, so a read-modify-write of a key needs no
 * lock and cannot interleave with another one of the same key. Each stripe's queue is bounded: when it
 * is full, work is refused with {@link OverloadedException} instead of queueing without bound.
 */
final class StripedExecutor implements AutoCloseable {

    private final ThreadPoolExecutor[] stripes;

    StripedExecutor(String name, int stripeCount, int queueLimit) {
        stripes = new ThreadPoolExecutor[stripeCount];
        AtomicInteger ids = new AtomicInteger();
        for (int i = 0; i < stripeCount; i++) {
            stripes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueLimit),
                    r -> {
                        Thread t = new Thread(r, name + "-" + ids.getAndIncrement());
                        t.setDaemon(true);
                        return t;
                    }, new ThreadPoolExecutor.AbortPolicy());
        }
    }

    /** Runs {@code work} on the stripe of {@code key}; the future completes on that stripe's thread. */
    <T> CompletableFuture<T> submit(String key, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            stripes[Math.floorMod(key.hashCode(), stripes.length)].execute(() -> {
                try {
                    result.complete(work.get());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new OverloadedException("storage queue full"));
        }
        return result;
    }

    /** Work queued or running, over all stripes. */
    int backlog() {
        int n = 0;
        for (ThreadPoolExecutor s : stripes) {
            n += s.getQueue().size() + s.getActiveCount();
        }
        return n;
    }

    @Override
    public void close() {
        for (ThreadPoolExecutor s : stripes) {
            s.shutdown();
        }
        for (ThreadPoolExecutor s : stripes) {
            try {
                if (!s.awaitTermination(10, TimeUnit.SECONDS)) {
                    s.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s.shutdownNow();
            }
        }
    }
}
