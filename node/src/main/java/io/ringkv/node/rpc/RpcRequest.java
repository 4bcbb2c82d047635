package io.ringkv.node.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A request from one node to another.
 *
 * @param id      correlates the response on the connection
 * @param op      what to do
 * @param key     the user key
 * @param hintFor for a replica operation: the primary this node holds the key for as a fallback, or null
 * @param state   for {@link Op#WRITE} and {@link Op#SYNC}: the encoded sibling set to merge; for
 *                {@link Op#REAP}: the state to remove
 * @param put     for {@link Op#COORDINATE}: the client write to coordinate
 * @param tree    for {@link Op#TREE_HASHES} and {@link Op#SEGMENT_LISTING}: what of which tree
 * @param batch   for {@link Op#HANDOFF}: the keys and states to merge
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RpcRequest(long id, Op op, String key, String hintFor, byte[] state, ForwardedWrite put, TreeQuery tree,
                         List<Entry> batch) {

    public enum Op {
        /** Return the replica's state of the key. */
        READ,
        /** Merge the given state into the replica's and store it. */
        WRITE,
        /** Coordinate a client write: this node is in the key's preference list, the sender is not. */
        COORDINATE,
        /** Remove the key if its state is exactly the given one (a tombstone every primary holds). */
        REAP,
        /** Anti-entropy: the hashes of some nodes of one level of a partition's Merkle tree. */
        TREE_HASHES,
        /** Anti-entropy: the keys of some segments, each with the hash of its state. */
        SEGMENT_LISTING,
        /**
         * Anti-entropy repair: merge the given state into the replica's and store it, as {@link #WRITE}
         * does, and answer with the merged state unless it equals the given one (nothing to send back).
         */
        SYNC,
        /**
         * Ownership handoff: merge each state of the batch into the replica's state of its key and store
         * it, as {@link #WRITE} does; answer once all of them are stored.
         */
        HANDOFF,
        /**
         * The cluster's users as this node has them (JSON), asked by a node that gossip told they differ:
         * they travel only over mutual TLS, never in gossip, which Hazelcast lets anyone receive.
         */
        USERS
    }

    /** One key's encoded state, in a {@link Op#HANDOFF} batch. */
    public record Entry(String key, byte[] state) {
    }

    /**
     * Which part of a partition's Merkle tree an anti-entropy request is about. Both sides must keep
     * trees for the same partition count, or the shapes would not match; a node that does not answers
     * {@link RpcResponse.Status#REFUSED}.
     *
     * @param level for {@link Op#TREE_HASHES}: the tree level, 0 the root
     * @param nodes packed ({@code io.ringkv.antientropy.IndexRuns}): for {@link Op#TREE_HASHES}, node indexes on
     *              that level; for {@link Op#SEGMENT_LISTING}, segments (of the whole key space, all in the
     *              partition); ascending
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TreeQuery(int partitionCount, int partition, int level, byte[] nodes) {
    }

    /** A request about one key. */
    public RpcRequest(long id, Op op, String key, String hintFor, byte[] state, ForwardedWrite put) {
        this(id, op, key, hintFor, state, put, null, null);
    }

    /** A request about one key or a tree. */
    public RpcRequest(long id, Op op, String key, String hintFor, byte[] state, ForwardedWrite put, TreeQuery tree) {
        this(id, op, key, hintFor, state, put, tree, null);
    }

    /** An ownership handoff batch. */
    public static RpcRequest handoff(List<Entry> batch) {
        return new RpcRequest(0, Op.HANDOFF, null, null, null, null, null, List.copyOf(batch));
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
        return new RpcRequest(newId, op, key, hintFor, state, put, tree, batch);
    }
}
