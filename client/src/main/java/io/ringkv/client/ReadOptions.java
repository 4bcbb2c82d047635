package io.ringkv.client;

import java.time.Duration;

/**
 * Per-request overrides of the cluster's read defaults; null fields use the cluster default.
 *
 * @param r          replies to wait for
 * @param timeout    how long the coordinator may take
 * @param readRepair "sync" or "async"
 * @param sloppy     whether fallbacks may answer for down primaries
 */
public record ReadOptions(Integer r, Duration timeout, String readRepair, Boolean sloppy) {

    public static ReadOptions defaults() {
        return new ReadOptions(null, null, null, null);
    }

    public ReadOptions withR(int value) {
        return new ReadOptions(value, timeout, readRepair, sloppy);
    }

    public ReadOptions withTimeout(Duration value) {
        return new ReadOptions(r, value, readRepair, sloppy);
    }

    public ReadOptions withReadRepair(String value) {
        return new ReadOptions(r, timeout, value, sloppy);
    }

    public ReadOptions withSloppy(boolean value) {
        return new ReadOptions(r, timeout, readRepair, value);
    }
}
