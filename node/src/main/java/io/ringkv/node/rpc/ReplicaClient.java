package io.ringkv.node.rpc;

import io.ringkv.node.security.NodeTls;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Calls to other nodes' replica servers, from one event loop.
 *
 * <p>Why TCP with length-prefixed frames rather than HTTP: a replica call is a tiny request with an
 * opaque binary body and no need for headers, content negotiation or proxies. One connection per peer
 * carries any number of concurrent requests, matched to their responses by id and answered in any
 * order, so there is no head-of-line blocking as with HTTP/1.1 and none of HTTP/2's flow-control and
 * header machinery; per request the cost is a frame header and a Smile envelope.
 *
 * <p>Each event loop has its own client and connections (shared nothing): every callback runs on the
 * owner's event loop, so there are no locks. A connection that fails fails every call waiting on it at
 * once, which is how a killed peer is noticed long before the membership layer declares it down; the
 * next call reconnects, at most once per {@code reconnectDelayMs} per peer.
 */
public final class ReplicaClient {

    private static final Logger log = LoggerFactory.getLogger(ReplicaClient.class);

    private final Vertx vertx;
    private final NetClient net;
    private final Function<String, SocketAddress> addressOf;
    private final long reconnectDelayMs;
    private final Optional<NodeTls> tls;
    private final Map<String, Peer> peers = new HashMap<>();
    private long nextId = 1;

    /**
     * @param bindHost  the local address every connection is made from, so that traffic between nodes
     *                  can be cut by address
     * @param addressOf a node's replica server address, or null when it is unknown or down
     * @param tls       mutual TLS with this node's certificate, and a peer must prove to be the node
     *                  called; empty for plain connections
     */
    public ReplicaClient(Vertx vertx, String bindHost, Function<String, SocketAddress> addressOf,
                         long connectTimeoutMs, long reconnectDelayMs, Optional<NodeTls> tls) {
        this.vertx = vertx;
        this.addressOf = addressOf;
        this.reconnectDelayMs = reconnectDelayMs;
        this.tls = tls;
        NetClientOptions options = new NetClientOptions()
                .setLocalAddress(bindHost)
                .setConnectTimeout((int) connectTimeoutMs)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true);
        this.net = vertx.createNetClient(tls.map(t -> t.replicaClient(options)).orElse(options));
    }

    /** Sends {@code request} (its id is assigned here) to {@code node}; fails after {@code timeoutMs}. */
    public Future<RpcResponse> call(String node, RpcRequest request, long timeoutMs) {
        return call(node, request, timeoutMs, null);
    }

    /**
     * As {@link #call(String, RpcRequest, long)}, and tells {@code wireBytes} (unless null) the size of the
     * request frame when it is sent and of the response frame when it arrives, so that background work
     * can account for the traffic it causes.
     */
    public Future<RpcResponse> call(String node, RpcRequest request, long timeoutMs, LongConsumer wireBytes) {
        Peer peer = peers.computeIfAbsent(node, Peer::new);
        long id = nextId++;
        Promise<RpcResponse> promise = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, timeoutMs), t -> {
            peer.pending.remove(id);
            peer.meters.remove(id);
            promise.tryFail(new RpcException(RpcException.Kind.TIMEOUT, node + " did not answer within " + timeoutMs + " ms"));
        });
        peer.socket().onComplete(ar -> {
            if (ar.failed()) {
                vertx.cancelTimer(timer);
                promise.tryFail(ar.cause());
            } else if (!promise.future().isComplete()) {
                peer.pending.put(id, promise);
                Buffer frame = RpcCodec.frame(request.withId(id));
                if (wireBytes != null) {
                    peer.meters.put(id, wireBytes);
                    wireBytes.accept(frame.length());
                }
                ar.result().write(frame);
            }
        });
        return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    /** Closes every connection; waiting calls fail. */
    public Future<Void> close() {
        return net.close();
    }

    private final class Peer {
        final String node;
        final Map<Long, Promise<RpcResponse>> pending = new HashMap<>();
        /** Of the pending calls that count their bytes. */
        final Map<Long, LongConsumer> meters = new HashMap<>();
        Future<NetSocket> connection;
        long retryAt;

        Peer(String node) {
            this.node = node;
        }

        Future<NetSocket> socket() {
            if (connection != null && !connection.failed()) {
                return connection;
            }
            long now = System.nanoTime();
            if (connection != null && now < retryAt) {
                return connection;
            }
            SocketAddress address = addressOf.apply(node);
            if (address == null) {
                return Future.failedFuture(new RpcException(RpcException.Kind.UNREACHABLE, node + " is not a live member"));
            }
            retryAt = now + reconnectDelayMs * 1_000_000L;
            Future<NetSocket> attempt = net.connect(address).compose(this::provedToBeTheNode).recover(e -> Future.failedFuture(
                    new RpcException(RpcException.Kind.UNREACHABLE, "cannot connect to " + node + " at " + address + ": " + e.getMessage())));
            connection = attempt;
            attempt.onSuccess(socket -> {
                RpcCodec.coalesceFlushes(socket);
                RpcCodec.readFrames(socket, this::onFrame);
                socket.closeHandler(v -> lost(attempt, "connection to " + node + " closed"));
                socket.exceptionHandler(e -> {
                    log.atDebug().addKeyValue("peer", node).addKeyValue("error", e.toString()).log("replica connection failed");
                    socket.close();
                });
            });
            return attempt;
        }

        /**
         * With TLS, the certificate of whoever answered at the node's address must name that node: an
         * address comes from gossip, which anyone who reaches the gossip port can try to bend.
         */
        private Future<NetSocket> provedToBeTheNode(NetSocket socket) {
            if (tls.isEmpty()) {
                return Future.succeededFuture(socket);
            }
            Optional<String> proved = NodeTls.peerNode(socket);
            if (proved.isPresent() && proved.get().equals(node)) {
                return Future.succeededFuture(socket);
            }
            socket.close();
            log.atWarn().addKeyValue("peer", node).addKeyValue("certificate_of", proved.orElse("no node"))
                    .log("refused a replica connection: the certificate names another node");
            return Future.failedFuture("the peer's certificate is " + proved.map(p -> "node " + p + "'s").orElse("no node's")
                    + ", not " + node + "'s");
        }

        private void onFrame(Buffer frame) {
            RpcResponse response;
            try {
                response = RpcCodec.decodeResponse(frame);
            } catch (IOException e) {
                log.atWarn().addKeyValue("peer", node).addKeyValue("error", e.getMessage()).log("undecodable replica response");
                return;
            }
            LongConsumer meter = meters.remove(response.id());
            if (meter != null) {
                meter.accept(4L + frame.length());
            }
            Promise<RpcResponse> p = pending.remove(response.id());
            if (p != null) {
                p.tryComplete(response);
            }
        }

        private void lost(Future<NetSocket> which, String why) {
            if (connection == which) {
                connection = null;
            }
            meters.clear();
            if (pending.isEmpty()) {
                return;
            }
            Map<Long, Promise<RpcResponse>> failed = new HashMap<>(pending);
            pending.clear();
            failed.values().forEach(p -> p.tryFail(new RpcException(RpcException.Kind.CONNECTION_LOST, why)));
        }
    }
}
