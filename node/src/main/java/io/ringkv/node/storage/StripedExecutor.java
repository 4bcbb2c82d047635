package io.ringkv.node.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs blocking storage work off the event loops, on a fixed set of single-threaded stripes. All work
 * for one key runs on the same stripe, in submission order, so a read-modify-write of a key needs no
 * lock and cannot interleave with another one of the same key. Each stripe's queue is bounded: when it
 * is full, work is refused with {@link OverloadedException} instead of queueing without bound.
 *
 * <p>Group commit: a stripe takes all the work queued on it (up to {@link #MAX_GROUP} tasks), runs each
 * task against the stripe's {@link Group}, then {@linkplain Group#commit() commits} the group once and
 * only then completes the tasks' futures. The tasks of a group thus share one durable write, one system
 * call into the write-ahead log instead of one each, and no task is answered before what it wrote is
 * stored. Under light load a group is a single task and nothing waits for company: a stripe never delays
 * work to make a group larger.
 *
 * @param <G> what the tasks of one group share; confined to its stripe's thread
 */
final class StripedExecutor<G extends StripedExecutor.Group> implements AutoCloseable {

    /** Most tasks in one group; bounds the time the first of them waits for the others to run. */
    static final int MAX_GROUP = 64;

    /** The state shared by the tasks of one group, on one stripe. */
    interface Group {
        /** Called before each task of a group. */
        void begin();

        /** The task since the last {@link #begin()} failed: forget what it added. */
        void rollback();

        /**
         * Every task of the group has run: make what they added durable and visible, then clear for the
         * next group. If this throws, every task of the group fails with that error.
         */
        void commit();
    }

    /** Queued behind everything else by {@link #close()}: its stripe stops when it gets there. */
    private final Task<Void> stop = new Task<>(g -> null, false);
    private final List<Stripe> stripes = new ArrayList<>();
    private volatile boolean closed;

    StripedExecutor(String name, int stripeCount, int queueLimit, Supplier<G> groups) {
        for (int i = 0; i < stripeCount; i++) {
            Stripe s = new Stripe(name + "-" + i, queueLimit, groups.get());
            stripes.add(s);
            s.thread.start();
        }
    }

    /** Runs {@code work} on the stripe of {@code key}; the future completes on that stripe's thread once its group is committed. */
    <T> CompletableFuture<T> submit(String key, Function<G, T> work) {
        return enqueue(key, new Task<>(work, false));
    }

    /**
     * As {@link #submit}, but the work runs only after everything queued before it on its stripe is
     * committed: for work that depends on what committing does (for example, on what change listeners
     * were told), not only on what the group reads.
     */
    <T> CompletableFuture<T> submitAfterCommit(String key, Function<G, T> work) {
        return enqueue(key, new Task<>(work, true));
    }

    private <T> CompletableFuture<T> enqueue(String key, Task<T> task) {
        if (closed) {
            task.refuse();
        } else if (!stripes.get(Math.floorMod(key.hashCode(), stripes.size())).queue.offer(task)) {
            task.result.completeExceptionally(new OverloadedException("storage queue full"));
        }
        return task.result;
    }

    /** Work queued or running, over all stripes. */
    int backlog() {
        int n = 0;
        for (Stripe s : stripes) {
            n += s.queue.size() + s.running;
        }
        return n;
    }

    /** Runs what is already queued, then stops the stripes; waits up to ten seconds for them. */
    @Override
    public void close() {
        closed = true;
        for (Stripe s : stripes) {
            s.stop();
        }
        for (Stripe s : stripes) {
            try {
                s.thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Task<T> {
        final Function<G, T> work;
        /** Runs only once the tasks before it in its group are committed. */
        final boolean afterCommit;
        final CompletableFuture<T> result = new CompletableFuture<>();
        T value;
        Throwable failure;

        Task(Function<G, T> work, boolean afterCommit) {
            this.work = work;
            this.afterCommit = afterCommit;
        }

        /** Runs the work against the group, keeping its outcome for {@link #complete}. */
        void runIn(G group) {
            group.begin();
            try {
                value = work.apply(group);
            } catch (Throwable t) {
                failure = t;
                group.rollback();
            }
        }

        void refuse() {
            result.completeExceptionally(new StoreException("storage is closed"));
        }

        void complete(Throwable commitFailure) {
            Throwable t = failure != null ? failure : commitFailure;
            if (t != null) {
                result.completeExceptionally(t);
            } else {
                result.complete(value);
            }
        }
    }

    private final class Stripe {
        final BlockingQueue<Task<?>> queue;
        final G group;
        final Thread thread;
        /** 1 while a group runs; read by {@link #backlog()}. */
        volatile int running;

        Stripe(String name, int queueLimit, G group) {
            this.queue = new ArrayBlockingQueue<>(queueLimit);
            this.group = group;
            this.thread = new Thread(this::loop, name);
            thread.setDaemon(true);
        }

        void stop() {
            // Behind everything queued so far; put, not offer: a full queue drains, so this does not hang.
            try {
                queue.put(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                thread.interrupt();
            }
        }

        private void loop() {
            List<Task<?>> batch = new ArrayList<>(MAX_GROUP);
            boolean stopping = false;
            while (!stopping) {
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    break;
                }
                queue.drainTo(batch, MAX_GROUP - 1);
                int end = batch.indexOf(stop);
                if (end >= 0) {
                    stopping = true;
                    List<Task<?>> after = batch.subList(end, batch.size());
                    after.forEach(Task::refuse);
                    after.clear();
                }
                running = 1;
                runGroup(batch);
                running = 0;
                batch.clear();
            }
            // Anything that slipped in behind the stop marker will never run: say so instead of hanging.
            List<Task<?>> late = new ArrayList<>();
            queue.drainTo(late);
            late.forEach(Task::refuse);
        }

        private void runGroup(List<Task<?>> batch) {
            int from = 0;
            for (int i = 0; i < batch.size(); i++) {
                Task<?> t = batch.get(i);
                if (t.afterCommit && i > from) {
                    commit(batch.subList(from, i));
                    from = i;
                }
                t.runIn(group);
            }
            if (from < batch.size()) {
                commit(batch.subList(from, batch.size()));
            }
        }

        private void commit(List<Task<?>> batch) {
            Throwable commitFailure = null;
            try {
                group.commit();
            } catch (Throwable t) {
                commitFailure = t;
            }
            for (Task<?> t : batch) {
                t.complete(commitFailure);
            }
        }
    }
}
