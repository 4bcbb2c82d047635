package io.ringkv.node.storage;

/** The storage engine failed; the operation did not take effect. */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
