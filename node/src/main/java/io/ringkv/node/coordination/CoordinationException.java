package io.ringkv.node.coordination;

/** A client request could not be served; {@link #kind()} decides the HTTP answer. */
public final class CoordinationException extends RuntimeException {

    public enum Kind {
        /** The quorum was not reached in time; a write may have reached some replicas. */
        UNAVAILABLE,
        /** Refused before anything was sent: fewer replicas up than the quorum needs. */
        INSUFFICIENT_REPLICAS,
        /** Refused before anything was done: the node has more work than it accepts. */
        OVERLOADED,
        /** This node has not joined a ring yet. */
        NOT_READY,
        /** Something failed inside this node. */
        INTERNAL
    }

    private final Kind kind;
    private final int got;
    private final int needed;

    public CoordinationException(Kind kind, String message, int got, int needed) {
        super(message, null, false, false);
        this.kind = kind;
        this.got = got;
        this.needed = needed;
    }

    public CoordinationException(Kind kind, String message) {
        this(kind, message, -1, -1);
    }

    public Kind kind() {
        return kind;
    }

    /** Replicas that answered, or -1 when not applicable. */
    public int got() {
        return got;
    }

    /** Replicas needed, or -1 when not applicable. */
    public int needed() {
        return needed;
    }
}
