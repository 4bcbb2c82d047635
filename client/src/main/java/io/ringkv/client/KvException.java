package io.ringkv.client;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster answered with an error. {@link #status()} is the HTTP status, {@link #error()} the
 * machine-readable error name from the JSON body and {@link #getMessage()} a human-readable summary.
 */
public class KvException extends RuntimeException {

    /** 503s a node sends when it refused the request before sending anything to a replica. */
    private static final Set<String> REFUSED_BEFORE_SENDING = Set.of("overloaded", "insufficient_replicas", "not_ready");

    private final int status;
    private final String error;
    private final Duration retryAfter;

    public KvException(int status, String error, String message) {
        this(status, error, message, null);
    }

    /** @param retryAfter how long the node asked the client to wait before retrying, or null */
    public KvException(int status, String error, String message, Duration retryAfter) {
        super(message);
        this.status = status;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public KvException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.error = "io";
        this.retryAfter = null;
    }

    /** HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /**
     * How long the node asked the client to wait before trying again: its {@code Retry-After} header, in
     * delta-seconds (an {@code overloaded} node sends one). Empty when the answer had none, gave an
     * HTTP-date instead (ringkv nodes never do; it is not read), or no answer arrived. A hint for pacing
     * retries, not a promise that a retry then succeeds.
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * True when the operation may or may not have taken effect: no response arrived, the coordinator
     * gave up waiting for replicas after sending to some, or the answer made no sense (a garbled
     * success, a proxy's 5xx). False when it certainly did not: a 4xx, or a 503 refused before anything
     * was sent ({@code overloaded}, {@code insufficient_replicas}, {@code not_ready}).
     */
    public boolean outcomeUnknown() {
        if (status >= 400 && status < 500) {
            return false;
        }
        return !(status == 503 && REFUSED_BEFORE_SENDING.contains(error));
    }
}
