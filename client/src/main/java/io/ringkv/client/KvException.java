package io.ringkv.client;

/**
 * The cluster answered with an error. {@link #status()} is the HTTP status, {@link #error()} the
 * machine-readable error name from the JSON body and {@link #getMessage()} a human-readable summary.
 */
public class KvException extends RuntimeException {

    private final int status;
    private final String error;

    public KvException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }

    public KvException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.error = "io";
    }

    /** HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /**
     * True when the operation may or may not have taken effect: no response arrived, or the coordinator
     * gave up waiting for replicas after sending to some. False when it certainly did not: a 4xx, or a
     * 503 refused before anything was sent ({@code overloaded}, {@code insufficient_replicas}).
     */
    public boolean outcomeUnknown() {
        if (status == 0) {
            return true;
        }
        if (status < 500) {
            return false;
        }
        return !"overloaded".equals(error) && !"insufficient_replicas".equals(error);
    }
}
