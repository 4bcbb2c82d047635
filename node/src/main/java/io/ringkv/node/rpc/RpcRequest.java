package io.ringkv.node.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A request from one node to another.
 *
 * @param id      correlates the response on the connection
 * @param op      what to do
 * @param key     the user key
 * @param hintFor for a replica operation: the primary this node holds the key for as a fallback, or null
 * @param state   for {@link Op#WRITE}: the encoded sibling set to merge; for {@link Op#REAP}: the state to remove
 * @param put     for {@link Op#COORDINATE}: the client write to coordinate
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RpcRequest(long id, Op op, String key, String hintFor, byte[] state, ForwardedWrite put) {

    public enum Op {
        /** Return the replica's state of the key. */
        READ,
        /** Merge the given state into the replica's and store it. */
        WRITE,
        /** Coordinate a client write: this node is in the key's preference list, the sender is not. */
        COORDINATE,
        /** Remove the key if its state is exactly the given one (a tombstone every primary holds). */
        REAP
    }

    /**
     * A client write forwarded to a node that can coordinate it.
     *
     * @param context   the client's causal context, as it sent it (may be empty)
     * @param value     the value; ignored for a delete
     * @param tombstone true for a delete
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ForwardedWrite(String context, byte[] value, String contentType, boolean tombstone, int w,
                                 boolean sloppy, long timeoutMs) {
    }

    public RpcRequest withId(long newId) {
        return new RpcRequest(newId, op, key, hintFor, state, put);
    }
}
