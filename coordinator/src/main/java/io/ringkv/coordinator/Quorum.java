package io.ringkv.coordinator;

/**
 * The replication factor and the read and write quorums of one request.
 *
 * <p>{@code n} is how many distinct nodes hold each key, {@code r} how many of them must answer a read
 * and {@code w} how many must acknowledge a write before the coordinator replies. {@code r + w > n}
 * makes every read quorum overlap every write quorum; it is the caller's choice, not a rule here.
 */
public record Quorum(int n, int r, int w) {

    /** Upper bound on n: a preference list longer than this is a configuration mistake, not a need. */
    public static final int MAX_N = 16;

    /**
     * @throws IllegalArgumentException naming the first number out of range
     */
    public Quorum {
        if (n < 1 || n > MAX_N) {
            throw new IllegalArgumentException("n must be between 1 and " + MAX_N + ", got " + n);
        }
        if (r < 1 || r > n) {
            throw new IllegalArgumentException("r must be between 1 and n=" + n + ", got " + r);
        }
        if (w < 1 || w > n) {
            throw new IllegalArgumentException("w must be between 1 and n=" + n + ", got " + w);
        }
    }

    /** This quorum with another read quorum, validated against the same n. */
    public Quorum withR(int newR) {
        return new Quorum(n, newR, w);
    }

    /** This quorum with another write quorum, validated against the same n. */
    public Quorum withW(int newW) {
        return new Quorum(n, r, newW);
    }
}
