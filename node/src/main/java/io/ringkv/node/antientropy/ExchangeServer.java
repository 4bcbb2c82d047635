package io.ringkv.node.antientropy;

import io.ringkv.antientropy.Hashes;
import io.ringkv.antientropy.IndexRuns;
import io.ringkv.antientropy.SegmentListing;
import io.ringkv.antientropy.Segments;
import io.ringkv.antientropy.TreeDataException;
import io.ringkv.node.rpc.RpcRequest;
import io.ringkv.node.rpc.RpcResponse;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.versioning.CodecException;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.DvvSetCodec;
import io.ringkv.versioning.StoredValue;
import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * The replica side of an exchange another node started: answers tree hashes (in memory, on the event
 * loop), segment listings (a store scan, on a worker thread) and syncs of single keys (through the
 * replica write path, so the cache, the trees and the tombstone reaper all see the repair).
 */
public final class ExchangeServer {

    /** Most segments one listing request may ask for; the requester sends fewer. */
    public static final int MAX_SEGMENTS_PER_REQUEST = 256;
    /** Most nodes one hashes request may ask for; the requester sends fewer. */
    public static final int MAX_NODES_PER_REQUEST = 4096;

    private final PartitionTrees trees;
    private final ReplicaStore replicas;
    private final Context context;

    /** @param context the event loop serving the requests */
    public ExchangeServer(PartitionTrees trees, ReplicaStore replicas, Context context) {
        this.trees = trees;
        this.replicas = replicas;
        this.context = context;
    }

    /** Answers a {@code TREE_HASHES}, {@code SEGMENT_LISTING} or {@code SYNC} request. */
    public Future<RpcResponse> serve(RpcRequest req) {
        try {
            return switch (req.op()) {
                case TREE_HASHES -> Future.succeededFuture(hashes(req));
                case SEGMENT_LISTING -> listing(req);
                case SYNC -> sync(req);
                default -> throw new IllegalArgumentException("not an anti-entropy request: " + req.op());
            };
        } catch (PartitionTrees.NotReadyException e) {
            return Future.succeededFuture(RpcResponse.failure(req.id(), RpcResponse.Status.REFUSED, e.getMessage()));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // A request naming a partition, level or node that does not exist: a bug or a mismatched peer.
            return Future.succeededFuture(RpcResponse.failure(req.id(), RpcResponse.Status.ERROR, e.getMessage()));
        }
    }

    private RpcResponse hashes(RpcRequest req) {
        RpcRequest.TreeQuery q = query(req);
        int[] nodes = indexes(q, MAX_NODES_PER_REQUEST);
        return RpcResponse.ok(req.id(), Hashes.pack(trees.hashes(q.partitionCount(), q.partition(), q.level(), nodes)));
    }

    private Future<RpcResponse> listing(RpcRequest req) {
        RpcRequest.TreeQuery q = query(req);
        int[] segments = indexes(q, MAX_SEGMENTS_PER_REQUEST);
        int first = Segments.first(q.partition(), q.partitionCount());
        int end = first + Segments.perPartition(q.partitionCount());
        for (int segment : segments) {
            if (segment < first || segment >= end) {
                throw new IllegalArgumentException("segment " + segment + " is not in partition " + q.partition());
            }
        }
        return context.executeBlocking(() -> RpcResponse.ok(req.id(), SegmentListing.encode(trees.list(segments))), false)
                .recover(e -> Future.succeededFuture(RpcResponse.failure(req.id(),
                        e instanceof PartitionTrees.NotReadyException ? RpcResponse.Status.REFUSED : RpcResponse.Status.ERROR,
                        String.valueOf(e.getMessage()))));
    }

    private Future<RpcResponse> sync(RpcRequest req) {
        DvvSet<StoredValue> incoming;
        try {
            incoming = DvvSetCodec.decode(req.state());
        } catch (CodecException e) {
            return Future.succeededFuture(RpcResponse.failure(req.id(), RpcResponse.Status.ERROR, "corrupt state: " + e.getMessage()));
        }
        return Future.fromCompletionStage(replicas.merge(req.key(), null, incoming), context)
                .map(merged -> RpcResponse.ok(req.id(), merged.equals(incoming) ? null : DvvSetCodec.encode(merged)));
    }

    private static RpcRequest.TreeQuery query(RpcRequest req) {
        if (req.tree() == null) {
            throw new IllegalArgumentException("a tree request without a query");
        }
        return req.tree();
    }

    private static int[] indexes(RpcRequest.TreeQuery q, int max) {
        try {
            int[] nodes = IndexRuns.unpack(q.nodes(), max);
            if (nodes.length == 0) {
                throw new IllegalArgumentException("a tree request needs at least one node");
            }
            return nodes;
        } catch (TreeDataException e) {
            throw new IllegalArgumentException("bad node list: " + e.getMessage(), e);
        }
    }
}
