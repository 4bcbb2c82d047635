package io.ringkv.node.rpc;

/** A replica call failed: the peer is unreachable, timed out, or answered with an error. */
public final class RpcException extends RuntimeException {

    /** How the call failed, which tells whether the request may have taken effect. */
    public enum Kind { UNREACHABLE, TIMEOUT, CONNECTION_LOST, REMOTE }

    private final Kind kind;

    public RpcException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
