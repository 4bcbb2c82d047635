package io.ringkv.checker.workload;

import io.ringkv.checker.history.EventType;
import io.ringkv.client.CausalContext;
import io.ringkv.client.KvClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What one client thread carries from operation to operation: its process id, its seeded random
 * choices, its client, and what it last read of each key (the context its next write sends).
 *
 * <p>Process ids follow Jepsen: an operation whose outcome is unknown may still take effect later,
 * so the thread goes on as a new process ({@code process + stride}), which keeps every process a
 * sequence of operations that do not overlap. Not thread-safe: one per thread.
 */
public final class WorkerContext {

    /** A read remembered for the next write of the same key. */
    public record LastRead(List<String> values, CausalContext context) {
    }

    private final int worker;
    private final int stride;
    private final Random random;
    private final KvClient client;
    private final HistoryRecorder recorder;
    private final Duration timeout;
    private final Map<String, LastRead> lastReads = new HashMap<>();
    private final Map<String, Long> counters = new HashMap<>();
    private int process;

    /**
     * @param worker  the thread's index, also its first process id
     * @param stride  added to the process id after an unknown outcome (the number of threads)
     * @param timeout each request's timeout: the coordinator's and, plus a margin, the client's
     */
    public WorkerContext(int worker, int stride, Random random, KvClient client, HistoryRecorder recorder,
                         Duration timeout) {
        this.worker = worker;
        this.stride = stride;
        this.random = random;
        this.client = client;
        this.recorder = recorder;
        this.timeout = timeout;
        this.process = worker;
    }

    public int worker() {
        return worker;
    }

    public int process() {
        return process;
    }

    public Random random() {
        return random;
    }

    public KvClient client() {
        return client;
    }

    public HistoryRecorder recorder() {
        return recorder;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The next index of this thread's counter {@code name}, from 0: unique values, key generations. */
    public long next(String name) {
        long i = counters.getOrDefault(name, 0L);
        counters.put(name, i + 1);
        return i;
    }

    public LastRead lastRead(String key) {
        return lastReads.get(key);
    }

    public void remember(String key, LastRead read) {
        lastReads.put(key, read);
    }

    /** Records the invocation of an operation by the current process. */
    public void invoke(String f, String key, Object value) {
        recorder.invoke(process, f, key, value);
    }

    /** Records the completion of the current process's operation, moving on to a new process after INFO. */
    public void complete(EventType type, String f, String key, Object value) {
        recorder.complete(type, process, f, key, value);
        if (type == EventType.INFO) {
            process += stride;
        }
    }

    /** Records a failed request as FAIL or INFO, whichever it was. */
    public void completeExceptionally(String f, String key, RuntimeException e) {
        complete(Outcomes.classify(e), f, key, Outcomes.describe(e));
    }
}
