package io.ringkv.checker.workload;

import io.ringkv.checker.history.Event;
import io.ringkv.checker.history.EventType;
import io.ringkv.checker.history.HistoryWriter;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records a run's history as it happens: client invocations and completions, and nemesis events,
 * all timed by one monotonic clock that starts with the workload. Thread-safe.
 *
 * <p>A history that cannot be written makes the run worthless, but must not crash client threads in
 * the middle of an operation: the first write error is kept ({@link #failure()}), later events are
 * dropped, and the harness ends the run as incomplete.
 */
public final class HistoryRecorder {

    private final HistoryWriter writer;
    private final long origin = System.nanoTime();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong fail = new AtomicLong();
    private final AtomicLong info = new AtomicLong();
    private volatile IOException failure;

    /** Starts the run's clock at zero now. */
    public HistoryRecorder(HistoryWriter writer) {
        this.writer = writer;
    }

    /** Nanoseconds since the workload started. */
    public long now() {
        return System.nanoTime() - origin;
    }

    public void invoke(int process, String f, String key, Object value) {
        write(Event.invoke(process, f, key, value, now()));
    }

    /** Records a completion (OK, FAIL or INFO) and counts it. */
    public void complete(EventType type, int process, String f, String key, Object value) {
        if (!type.isCompletion()) {
            throw new IllegalArgumentException("not a completion: " + type);
        }
        write(new Event(type, process, f, key, value, now()));
        (type == EventType.OK ? ok : type == EventType.FAIL ? fail : info).incrementAndGet();
    }

    /** A fault started ({@code "start"}) or stopped ({@code "stop"}). */
    public void nemesis(String f, String fault) {
        write(Event.nemesis(f, fault, now()));
    }

    private void write(Event e) {
        if (failure != null) {
            return;
        }
        try {
            writer.write(e);
        } catch (IOException ex) {
            failure = ex;
        }
    }

    /** The first error writing the history, or null. */
    public IOException failure() {
        return failure;
    }

    public long okCount() {
        return ok.get();
    }

    public long failCount() {
        return fail.get();
    }

    public long infoCount() {
        return info.get();
    }

    /** Completed operations. */
    public long completed() {
        return ok.get() + fail.get() + info.get();
    }
}
