package io.ringkv.node;

import io.ringkv.node.coordination.RequestCoordinator;
import io.ringkv.node.http.AntiEntropyEndpoint;
import io.ringkv.node.http.ClusterEndpoints;
import io.ringkv.node.http.Authentication;
import io.ringkv.node.http.HttpApi;
import io.ringkv.node.http.UsersEndpoint;
import io.ringkv.node.membership.Peer;
import io.ringkv.node.rpc.ReplicaClient;
import io.ringkv.node.rpc.ReplicaServer;
import io.ringkv.node.security.NodeTls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * One event loop's share of a node: an HTTP API server and a replica server (Vert.x spreads the
 * connections of a shared port over the instances), with its own coordinator and replica connections.
 */
final class NodeVerticle extends VerticleBase {

    private final NodeServices services;
    private ReplicaClient rpc;

    NodeVerticle(NodeServices services) {
        this.services = services;
    }

    @Override
    public Future<?> start() {
        NodeConfig config = services.config();
        rpc = new ReplicaClient(vertx, config.host(), node -> {
            Peer p = services.cluster().peer(node);
            return p == null ? null : SocketAddress.inetSocketAddress(p.rpcPort(), p.host());
        }, 1000, 250, services.tls());
        RequestCoordinator coordinator = new RequestCoordinator(vertx, context, services.cluster(), services.actor(),
                services.store(), rpc, services.metrics(), config.replicaTimeoutMs());
        ClusterEndpoints endpoints = new ClusterEndpoints(services.cluster(), services.store(), services.gossipNow(), context,
                services.handoff(), services.tls().map(NodeTls::notAfter));
        AntiEntropyEndpoint antiEntropy = new AntiEntropyEndpoint(services.cluster(), services.antiEntropy());
        Optional<Authentication> authentication = services.tls()
                .map(t -> new Authentication(vertx, services.cluster(), config.openMetrics()));
        HttpApi api = new HttpApi(config, services.cluster(), coordinator, services.metrics(), services.inflight(), endpoints,
                antiEntropy, authentication, new UsersEndpoint(vertx, services.cluster(), services.gossipNow(),
                new SecureRandom(), config.secure()), services.contexts());
        ReplicaServer replicas = new ReplicaServer(services.store(), coordinator, services.antiEntropy().server(context), context,
                services.cluster()::departed, services.tls(), services.cluster()::knows, services.cluster()::users);
        HttpServerOptions httpOptions = new HttpServerOptions()
                .setHost(config.host()).setPort(config.httpPort())
                // The API answers Expect: 100-continue itself, after checking the declared length.
                .setHandle100ContinueAutomatically(false)
                .setTcpNoDelay(true);
        NetServerOptions rpcOptions = new NetServerOptions()
                .setHost(config.host()).setPort(config.rpcPort()).setTcpNoDelay(true);
        Future<?> http = vertx.createHttpServer(services.tls().map(t -> t.https(httpOptions)).orElse(httpOptions))
                .requestHandler(api).listen();
        Future<?> net = vertx.createNetServer(services.tls().map(t -> t.replicaServer(rpcOptions)).orElse(rpcOptions))
                .connectHandler(replicas::serve).listen();
        return Future.all(http, net);
    }

    @Override
    public Future<?> stop() {
        return rpc == null ? Future.succeededFuture() : rpc.close();
    }
}
