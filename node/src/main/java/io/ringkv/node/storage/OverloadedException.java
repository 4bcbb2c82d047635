package io.ringkv.node.storage;

/** The node has more work queued than it accepts; the request was refused before doing anything. */
public final class OverloadedException extends RuntimeException {
    public OverloadedException(String message) {
        super(message, null, false, false);
    }
}
