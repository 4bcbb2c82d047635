package io.ringkv.client;

import java.time.Duration;

/**
 * Per-request overrides of the cluster's write defaults; null fields use the cluster default.
 *
 * @param w       acknowledgements to wait for
 * @param timeout how long the coordinator may take
 * @param sloppy  whether fallbacks may stand in for down primaries
 */
public record WriteOptions(Integer w, Duration timeout, Boolean sloppy) {

    public static WriteOptions defaults() {
        return new WriteOptions(null, null, null);
    }

    public WriteOptions withW(int value) {
        return new WriteOptions(value, timeout, sloppy);
    }

    public WriteOptions withTimeout(Duration value) {
        return new WriteOptions(w, value, sloppy);
    }

    public WriteOptions withSloppy(boolean value) {
        return new WriteOptions(w, timeout, value);
    }
}
