package io.ringkv.checker.harness;

import io.ringkv.checker.history.EventType;
import io.ringkv.checker.workload.WorkerContext;
import io.ringkv.checker.workload.Workload;
import io.ringkv.client.ReadOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The reads after the heal and the quiet period: every key the run touched, read from every
 * primary with synchronous read repair (so the read also repairs the replicas it read), retried a
 * few times when a read fails. Every attempt is in the history.
 */
final class FinalReads {

    static final int ATTEMPTS = 5;
    static final long RETRY_PAUSE_MILLIS = 1000;

    private FinalReads() {
    }

    /**
     * @param deadlineNanos no attempt starts after this time on the recorder's clock
     * @return the keys no attempt could read
     */
    static List<String> run(Workload workload, List<String> keys, WorkerContext reader, ReadOptions options,
                            long deadlineNanos) {
        List<String> unread = new ArrayList<>();
        for (String key : keys) {
            boolean done = false;
            for (int attempt = 0; attempt < ATTEMPTS && !done; attempt++) {
                if (attempt > 0 && (reader.recorder().now() > deadlineNanos || !ClusterProbe.sleep(RETRY_PAUSE_MILLIS))) {
                    break;
                }
                done = workload.finalRead(reader, key, options) == EventType.OK;
            }
            if (!done) {
                unread.add(key);
            }
        }
        return unread;
    }
}
