package io.ringkv.checker.workload;

import io.ringkv.checker.history.EventType;
import io.ringkv.client.KvException;
import java.net.ConnectException;

/**
 * How a failed request is recorded: {@link EventType#FAIL} when it certainly did not take effect,
 * {@link EventType#INFO} when it may have.
 */
final class Outcomes {

    private Outcomes() {
    }

    /**
     * FAIL for a refusal: a 4xx, a 503 refused before anything was sent ({@code overloaded},
     * {@code insufficient_replicas}, {@code not_ready}), or a connection the node refused (nothing
     * reached a node: a killed one). INFO for everything else: a timeout, a connection lost mid-request,
     * a 503 {@code unavailable} (some replicas may have the write), a 500, a proxy's error page, a
     * response that makes no sense (a garbled 300 among them).
     */
    static EventType classify(RuntimeException e) {
        if (e instanceof KvException k) {
            if (k.status() == 0) {
                return refused(k) ? EventType.FAIL : EventType.INFO;
            }
            return k.outcomeUnknown() ? EventType.INFO : EventType.FAIL;
        }
        return EventType.INFO;
    }

    /** A short reason for the history: {@code "503 unavailable"}, {@code "timed out"}, ... */
    static String describe(RuntimeException e) {
        if (e instanceof KvException k) {
            if (k.status() != 0) {
                return k.status() + " " + k.error();
            }
            if (refused(k)) {
                return "connection refused";
            }
            String m = String.valueOf(k.getMessage());
            int colon = m.lastIndexOf(": ");
            return colon >= 0 ? m.substring(colon + 2) : m;
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static boolean refused(KvException k) {
        // Bounded walk: cause chains are short, and a cycle is cut by the limit.
        Throwable t = k.getCause();
        for (int i = 0; i < 8 && t != null; i++) {
            if (t instanceof ConnectException) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }
}
