package io.ringkv.node.antientropy;

import io.ringkv.antientropy.Hashes;
import io.ringkv.antientropy.IndexRuns;
import io.ringkv.antientropy.SegmentListing;
import io.ringkv.antientropy.Segments;
import io.ringkv.antientropy.TreeDataException;
import io.ringkv.antientropy.TreeDiff;
import io.ringkv.antientropy.TreeShape;
import io.ringkv.node.rpc.ReplicaClient;
import io.ringkv.node.rpc.RpcException;
import io.ringkv.node.rpc.RpcRequest;
import io.ringkv.node.rpc.RpcResponse;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.versioning.CodecException;
import io.ringkv.versioning.DvvSetCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * One exchange: this node and {@code peer}, both replicas of {@code partition}, find the keys they
 * disagree on and bring both to the merged state.
 *
 * <ol>
 *   <li>Descend the two trees from the roots, one round trip per level, into differing nodes only
 *       ({@link TreeDiff}).
 *   <li>For the differing leaves, list the keys of those segments on both sides with their state
 *       hashes, a batch of segments at a time, and compare the listings.
 *   <li>For each differing key, send this node's state to the peer ({@code SYNC}): the peer merges it
 *       into its own and answers with the merged state unless it had nothing newer; this node merges
 *       that answer into its own. Both writes go through the replica write path and the cluster's
 *       conflict mode, so a merge never loses a concurrent write.
 * </ol>
 * What moves is the hashes of differing nodes' children, the listings of differing segments and the
 * states of differing keys: proportional to the difference, not to the partition. Keys compared and
 * repaired are paced by the node's {@code pace} budget. The first failure ends the exchange; the next
 * one starts over. Runs on one event-loop context; not thread-safe.
 */
final class Exchange {

    /** Hashes per tree query: a level of a 1024-segment partition in one round trip. */
    private static final int NODES_PER_QUERY = 1024;
    /** Segments per listing request: keeps answers small on large partitions. */
    private static final int SEGMENTS_PER_LISTING = 64;
    private static final int SYNCS_IN_FLIGHT = 8;
    private static final long TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final Context context;
    private final PartitionTrees trees;
    private final ReplicaStore replicas;
    private final ReplicaClient rpc;
    /** Permits (keys) to future that completes when they may be spent. */
    private final LongFunction<Future<Void>> pace;
    private final int partitionCount;
    private final int partition;
    private final String peer;

    private long segmentsDiffering;
    private long keysCompared;
    private long keysRepaired;
    private long bytes;

    Exchange(Vertx vertx, Context context, PartitionTrees trees, ReplicaStore replicas, ReplicaClient rpc,
             LongFunction<Future<Void>> pace, int partitionCount, int partition, String peer) {
        this.vertx = vertx;
        this.context = context;
        this.trees = trees;
        this.replicas = replicas;
        this.rpc = rpc;
        this.pace = pace;
        this.partitionCount = partitionCount;
        this.partition = partition;
        this.peer = peer;
    }

    /** Runs the exchange; the outcome, failed or not, is in the result (the future itself never fails). */
    Future<ExchangeLog.Exchange> run() {
        long startedAt = System.currentTimeMillis();
        long started = System.nanoTime();
        TreeShape shape = TreeShape.forPartition(partitionCount);
        TreeDiff diff = new TreeDiff(shape, NODES_PER_QUERY);
        return descend(diff)
                .compose(v -> {
                    int first = Segments.first(partition, partitionCount);
                    int[] segments = Arrays.stream(diff.differingLeaves()).map(leaf -> first + leaf).toArray();
                    segmentsDiffering = segments.length;
                    return compare(segments, 0);
                })
                .transform(ar -> Future.succeededFuture(new ExchangeLog.Exchange(partition, peer, startedAt,
                        (System.nanoTime() - started) / 1_000_000, outcome(ar.cause()),
                        ar.succeeded() ? null : describe(ar.cause()), segmentsDiffering, keysCompared, keysRepaired, bytes)));
    }

    private Future<Void> descend(TreeDiff diff) {
        if (diff.isDone()) {
            return Future.succeededFuture();
        }
        TreeDiff.Query q = diff.next();
        long[] local;
        try {
            local = trees.hashes(partitionCount, partition, q.level(), q.nodes());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        RpcRequest.TreeQuery query = new RpcRequest.TreeQuery(partitionCount, partition, q.level(), IndexRuns.pack(q.nodes()));
        return call(RpcRequest.Op.TREE_HASHES, query).compose(answer -> {
            try {
                diff.answer(local, Hashes.unpack(answer, q.nodes().length));
            } catch (TreeDataException e) {
                return Future.failedFuture(e);
            }
            return descend(diff);
        });
    }

    /** Compares the listings of {@code segments} from {@code from} on, a batch at a time, repairing as it goes. */
    private Future<Void> compare(int[] segments, int from) {
        if (from >= segments.length) {
            return Future.succeededFuture();
        }
        int[] batch = Arrays.copyOfRange(segments, from, Math.min(segments.length, from + SEGMENTS_PER_LISTING));
        Future<List<SegmentListing>> theirs = call(RpcRequest.Op.SEGMENT_LISTING,
                new RpcRequest.TreeQuery(partitionCount, partition, 0, IndexRuns.pack(batch))).compose(answer -> {
                    try {
                        return Future.succeededFuture(SegmentListing.decode(answer));
                    } catch (TreeDataException e) {
                        return Future.failedFuture(e);
                    }
                });
        Future<List<SegmentListing>> ours = vertx.executeBlocking(() -> trees.list(batch), false);
        return Future.all(theirs, ours).compose(both -> {
            List<SegmentListing> remote = theirs.result();
            List<SegmentListing> local = ours.result();
            if (remote.size() != batch.length) {
                return Future.failedFuture(new IllegalStateException(peer + " listed " + remote.size() + " segments of " + batch.length));
            }
            List<String> differing = new ArrayList<>();
            int compared = 0;
            for (int i = 0; i < batch.length; i++) {
                SegmentListing.Difference d = SegmentListing.diff(local.get(i), remote.get(i));
                compared += d.compared();
                d.keys().forEach(k -> differing.add(new String(k, StandardCharsets.UTF_8)));
            }
            keysCompared += compared;
            return pace.apply(compared + differing.size())
                    .compose(v -> repair(new ArrayDeque<>(differing)))
                    .compose(v -> compare(segments, from + SEGMENTS_PER_LISTING));
        });
    }

    /** Synchronizes every key of {@code queue}, a few at a time; fails on the first that fails. */
    private Future<Void> repair(ArrayDeque<String> queue) {
        if (queue.isEmpty()) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        int[] running = {0};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            while (running[0] < SYNCS_IN_FLIGHT && !queue.isEmpty() && !done.future().isComplete()) {
                String key = queue.poll();
                running[0]++;
                sync(key).onComplete(ar -> {
                    running[0]--;
                    if (ar.failed()) {
                        done.tryFail(ar.cause());
                    } else if (queue.isEmpty() && running[0] == 0) {
                        done.tryComplete();
                    } else {
                        next[0].run();
                    }
                });
            }
        };
        next[0].run();
        return done.future();
    }

    private Future<Void> sync(String key) {
        return Future.fromCompletionStage(replicas.read(key, null), context)
                .compose(local -> rpc.call(peer, new RpcRequest(0, RpcRequest.Op.SYNC, key, null, DvvSetCodec.encode(local), null),
                        TIMEOUT_MS, this::count))
                .compose(response -> {
                    if (response.status() != RpcResponse.Status.OK) {
                        return Future.failedFuture(new RpcException(RpcException.Kind.REMOTE,
                                peer + " refused to sync " + key + ": " + response.error()));
                    }
                    if (response.state() == null) {
                        return Future.succeededFuture();
                    }
                    try {
                        return Future.fromCompletionStage(replicas.merge(key, null, DvvSetCodec.decode(response.state())), context)
                                .<Void>mapEmpty();
                    } catch (CodecException e) {
                        return Future.failedFuture(e);
                    }
                })
                .onSuccess(v -> keysRepaired++);
    }

    /** Sends a tree request; the answer's bytes, or a failure for any status but OK. */
    private Future<byte[]> call(RpcRequest.Op op, RpcRequest.TreeQuery query) {
        return rpc.call(peer, new RpcRequest(0, op, null, null, null, null, query), TIMEOUT_MS, this::count)
                .compose(r -> switch (r.status()) {
                    case OK -> Future.succeededFuture(r.state());
                    case REFUSED -> Future.failedFuture(new PartitionTrees.NotReadyException(peer + ": " + r.error()));
                    default -> Future.failedFuture(new RpcException(RpcException.Kind.REMOTE, peer + ": " + r.error()));
                });
    }

    private void count(long frameBytes) {
        bytes += frameBytes;
    }

    private static ExchangeLog.Outcome outcome(Throwable failure) {
        return failure == null ? ExchangeLog.Outcome.COMPLETED
                : failure instanceof PartitionTrees.NotReadyException ? ExchangeLog.Outcome.NOT_READY
                : ExchangeLog.Outcome.FAILED;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.toString() : message;
    }
}
