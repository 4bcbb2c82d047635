package io.ringkv.node.rpc;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to an {@link RpcRequest} with the same id.
 *
 * @param state  for a read: the encoded sibling set (an empty set when the replica has nothing); for a
 *               {@linkplain RpcRequest.Op#SYNC sync}: the merged state, absent when it equals the one sent;
 *               for {@link RpcRequest.Op#TREE_HASHES}: the hashes, packed ({@code io.ringkv.antientropy.Hashes});
 *               for {@link RpcRequest.Op#SEGMENT_LISTING}: the encoded listings
 *               ({@code io.ringkv.antientropy.SegmentListing})
 * @param error  for a status other than OK: what went wrong
 * @param acks   for a coordinated write: acknowledgements received
 * @param needed for a coordinated write: acknowledgements needed
 * @param context for a coordinated write: the encoded context of the written value, when exact
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RpcResponse(long id, Status status, byte[] state, String error, Integer acks, Integer needed,
                          String context) {

    public enum Status {
        OK,
        /** A quorum was not reached; the write may have reached some replicas. */
        UNAVAILABLE,
        /** Refused before doing anything: too much queued, or not enough replicas up. */
        REFUSED,
        /** Failed; the message says why. */
        ERROR
    }

    public static RpcResponse ok(long id, byte[] state) {
        return new RpcResponse(id, Status.OK, state, null, null, null, null);
    }

    public static RpcResponse failure(long id, Status status, String error) {
        return new RpcResponse(id, status, null, error, null, null, null);
    }
}
