package io.ringkv.node.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.node.antientropy.ExchangeServer;
import io.ringkv.node.coordination.CoordinationException;
import io.ringkv.node.coordination.RequestCoordinator;
import io.ringkv.node.coordination.WriteRequest;
import io.ringkv.node.security.NodeTls;
import io.ringkv.node.security.Users;
import io.ringkv.node.storage.OverloadedException;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.versioning.CausalContextCodec;
import io.ringkv.versioning.CodecException;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.DvvSetCodec;
import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.BooleanSupplier;

/**
 * Serves other nodes' replica calls on one event loop: reads and merges of this node's replicas, and
 * client writes forwarded here to be coordinated. Responses go back as soon as each is ready, in any
 * order; the caller matches them by id.
 */
public final class ReplicaServer {

    private static final Logger log = LoggerFactory.getLogger(ReplicaServer.class);
    private static final ObjectMapper USERS_JSON = new ObjectMapper();

    private final ReplicaStore store;
    private final RequestCoordinator coordinator;
    private final ExchangeServer exchanges;
    private final Context context;
    private final BooleanSupplier departed;
    private final Optional<NodeTls> tls;
    private final Predicate<String> knownNode;
    private final Supplier<Users> users;

    /**
     * @param exchanges answers the anti-entropy requests of exchanges other nodes run
     * @param departed  true once this node left the ring: it then refuses new data (a coordinator still on
     *                  the old ring must not count this node's acknowledgement; it would leave with it)
     * @param tls       when present, connections are mutual TLS (the server's options require a client
     *                  certificate of the cluster's authority), and only a peer whose certificate names
     *                  a node {@code knownNode} accepts is served
     * @param users     the cluster's users, served to peers that ask (over TLS only)
     */
    public ReplicaServer(ReplicaStore store, RequestCoordinator coordinator, ExchangeServer exchanges, Context context,
                         BooleanSupplier departed, Optional<NodeTls> tls, Predicate<String> knownNode,
                         Supplier<Users> users) {
        this.users = users;
        this.store = store;
        this.coordinator = coordinator;
        this.exchanges = exchanges;
        this.context = context;
        this.departed = departed;
        this.tls = tls;
        this.knownNode = knownNode;
    }

    /** Serves every request arriving on {@code socket}, from a peer that proved to be a known node. */
    public void serve(NetSocket socket) {
        Optional<String> peer = tls.isPresent() ? NodeTls.peerNode(socket) : Optional.empty();
        if (tls.isPresent() && (peer.isEmpty() || !knownNode.test(peer.get()))) {
            log.atWarn().addKeyValue("remote", socket.remoteAddress())
                    .addKeyValue("certificate_of", peer.orElse("no node"))
                    .log("refused a replica connection from an unknown node");
            socket.close();
            return;
        }
        RpcCodec.coalesceFlushes(socket);
        RpcCodec.readFrames(socket, frame -> dispatch(socket, frame, peer));
        socket.exceptionHandler(e -> socket.close());
    }

    /** @param peer the node the connection's certificate proved, with TLS */
    private void dispatch(NetSocket socket, Buffer frame, Optional<String> peer) {
        RpcRequest req;
        try {
            req = RpcCodec.decodeRequest(frame);
        } catch (IOException e) {
            log.atWarn().addKeyValue("peer", socket.remoteAddress()).addKeyValue("error", e.getMessage())
                    .log("closing replica connection after an undecodable frame");
            socket.close();
            return;
        }
        long id = req.id();
        if (departed.getAsBoolean() && (req.op() == RpcRequest.Op.WRITE || req.op() == RpcRequest.Op.HANDOFF
                || req.op() == RpcRequest.Op.COORDINATE || req.op() == RpcRequest.Op.SYNC)) {
            socket.write(RpcCodec.frame(RpcResponse.failure(id, RpcResponse.Status.REFUSED, "this node left the ring")));
            return;
        }
        Future<RpcResponse> response = switch (req.op()) {
            case READ -> read(req);
            case WRITE -> write(req);
            case COORDINATE -> coordinate(req);
            case REAP -> reap(req);
            case HANDOFF -> handoff(req);
            case TREE_HASHES, SEGMENT_LISTING, SYNC -> exchanges.serve(req);
            case USERS -> users(req, peer);
        };
        response.otherwise(e -> failure(id, e)).onSuccess(r -> socket.write(RpcCodec.frame(r)));
    }

    /** The users, password hashes included: only to a peer that proved to be a node, never in the clear. */
    private Future<RpcResponse> users(RpcRequest req, Optional<String> peer) {
        // Asked again at each request: a node removed since its connection opened gets nothing more.
        if (tls.isEmpty() || peer.isEmpty() || !knownNode.test(peer.get())) {
            return Future.succeededFuture(RpcResponse.failure(req.id(), RpcResponse.Status.REFUSED,
                    "users are served only over mutual TLS, to ring members"));
        }
        try {
            return Future.succeededFuture(RpcResponse.ok(req.id(), USERS_JSON.writeValueAsBytes(users.get())));
        } catch (IOException e) {
            return Future.succeededFuture(RpcResponse.failure(req.id(), RpcResponse.Status.ERROR, "users: " + e.getMessage()));
        }
    }

    private Future<RpcResponse> read(RpcRequest req) {
        byte[] cached = req.hintFor() == null ? store.cachedEncoded(req.key()) : null;
        if (cached != null) {
            return Future.succeededFuture(RpcResponse.ok(req.id(), cached));
        }
        return Future.fromCompletionStage(store.readEncoded(req.key(), req.hintFor()), context)
                .map(encoded -> RpcResponse.ok(req.id(), encoded));
    }

    private Future<RpcResponse> write(RpcRequest req) {
        try {
            return Future.fromCompletionStage(store.merge(req.key(), req.hintFor(), DvvSetCodec.decode(req.state())), context)
                    .map(state -> RpcResponse.ok(req.id(), null));
        } catch (CodecException e) {
            return Future.succeededFuture(RpcResponse.failure(req.id(), RpcResponse.Status.ERROR, "corrupt state: " + e.getMessage()));
        }
    }

    private Future<RpcResponse> handoff(RpcRequest req) {
        if (req.batch() == null) {
            return Future.succeededFuture(RpcResponse.failure(req.id(), RpcResponse.Status.ERROR, "handoff without a batch"));
        }
        List<Future<DvvSet<StoredValue>>> merges = new ArrayList<>(req.batch().size());
        try {
            for (RpcRequest.Entry e : req.batch()) {
                merges.add(Future.fromCompletionStage(store.merge(e.key(), null, DvvSetCodec.decode(e.state())), context));
            }
        } catch (CodecException e) {
            // Nothing is acknowledged: the sender sends the whole batch again, and merging twice changes nothing.
            return Future.succeededFuture(RpcResponse.failure(req.id(), RpcResponse.Status.ERROR, "corrupt state: " + e.getMessage()));
        }
        return Future.all(merges).map(all -> RpcResponse.ok(req.id(), null));
    }

    /**
     * Removes a key whose state is exactly the given one, which must be tombstones only: reaping is
     * how deleted keys go, and whatever a peer sends, it never removes a value.
     */
    private Future<RpcResponse> reap(RpcRequest req) {
        try {
            DvvSet<StoredValue> state = DvvSetCodec.decode(req.state());
            if (state.values().isEmpty() || !state.values().stream().allMatch(StoredValue::isTombstone)) {
                log.atWarn().addKeyValue("key_bytes", req.key() == null ? 0 : req.key().length())
                        .log("refused to reap a state that is not all tombstones");
                return Future.succeededFuture(RpcResponse.failure(req.id(), RpcResponse.Status.REFUSED,
                        "only a state of tombstones can be reaped"));
            }
            return Future.fromCompletionStage(store.removeIfUnchanged(req.key(), state), context)
                    .map(removed -> RpcResponse.ok(req.id(), null));
        } catch (CodecException e) {
            return Future.succeededFuture(RpcResponse.failure(req.id(), RpcResponse.Status.ERROR, "corrupt state: " + e.getMessage()));
        }
    }

    private Future<RpcResponse> coordinate(RpcRequest req) {
        RpcRequest.ForwardedWrite put = req.put();
        VersionVector context;
        try {
            context = put.context() == null || put.context().isEmpty() ? VersionVector.empty() : CausalContextCodec.decode(put.context());
        } catch (CodecException e) {
            return Future.succeededFuture(RpcResponse.failure(req.id(), RpcResponse.Status.ERROR, "invalid context: " + e.getMessage()));
        }
        long now = System.currentTimeMillis();
        StoredValue value = put.tombstone() ? StoredValue.tombstone(now) : StoredValue.of(put.value(), put.contentType(), now);
        WriteRequest write = new WriteRequest(req.key(), context, put.context(), value, put.w(), put.sloppy(), put.timeoutMs(), true);
        return coordinator.write(write).map(written -> new RpcResponse(req.id(), RpcResponse.Status.OK, null, null, null, null,
                written == null ? null : CausalContextCodec.encode(written)));
    }

    private static RpcResponse failure(long id, Throwable e) {
        if (e instanceof CoordinationException c) {
            RpcResponse.Status status = switch (c.kind()) {
                case INSUFFICIENT_REPLICAS, OVERLOADED, NOT_READY -> RpcResponse.Status.REFUSED;
                case UNAVAILABLE -> RpcResponse.Status.UNAVAILABLE;
                case INTERNAL -> RpcResponse.Status.ERROR;
            };
            return new RpcResponse(id, status, null, c.getMessage(), c.got() < 0 ? null : c.got(),
                    c.needed() < 0 ? null : c.needed(), null);
        }
        if (e instanceof OverloadedException) {
            return RpcResponse.failure(id, RpcResponse.Status.REFUSED, e.getMessage());
        }
        log.atError().setCause(e).log("replica request failed");
        return RpcResponse.failure(id, RpcResponse.Status.ERROR, String.valueOf(e.getMessage()));
    }
}
