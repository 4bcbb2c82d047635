package io.ringkv.node.rpc;

import io.ringkv.coordinator.ConflictMode;
import io.ringkv.node.security.Users;
import io.ringkv.node.storage.MemoryStore;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.DvvSetCodec;
import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replica side of ownership handoff and of reaping, over a real connection: batches merge, a node
 * that left refuses data, and only tombstones can be reaped.
 */
class HandoffRpcTest {

    private final Vertx vertx = Vertx.vertx();
    private final ReplicaStore store = new ReplicaStore(new MemoryStore(), 2, 10_000, 1 << 20, () -> ConflictMode.SIBLINGS);
    private final AtomicBoolean departed = new AtomicBoolean();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        store.close();
    }

    private static DvvSet<StoredValue> state(String value, String node) {
        return DvvSet.<StoredValue>empty().update(VersionVector.empty(),
                StoredValue.of(value.getBytes(StandardCharsets.UTF_8), "text/plain", 1), node);
    }

    private <T> T onContext(Supplier<Future<T>> work) throws Exception {
        Promise<T> p = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> work.get().onComplete(p));
        return p.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** A replica server on the store, and a client connected to it (plain connections). */
    private ReplicaClient connect() throws Exception {
        ReplicaServer server = new ReplicaServer(store, null, null, vertx.getOrCreateContext(), departed::get,
                Optional.empty(), node -> true, () -> Users.NONE);
        int port = onContext(() -> vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
                .connectHandler(server::serve).listen()).actualPort();
        ReplicaClient rpc = onContext(() -> Future.succeededFuture(new ReplicaClient(vertx, "127.0.0.1",
                node -> SocketAddress.inetSocketAddress(port, "127.0.0.1"), 1000, 100, Optional.empty())));
        return rpc;
    }

    @Test
    void aBatchMergesIntoWhatIsStoredAndANodeThatLeftRefusesNewData() throws Exception {
        ReplicaClient rpc = connect();
        store.merge("k1", null, state("here", "n1")).join();

        RpcResponse ok = onContext(() -> rpc.call("peer", RpcRequest.handoff(List.of(
                new RpcRequest.Entry("k1", DvvSetCodec.encode(state("moved", "n2"))),
                new RpcRequest.Entry("k2", DvvSetCodec.encode(state("new", "n2"))))), 5_000));
        assertThat(ok.status()).isEqualTo(RpcResponse.Status.OK);
        assertThat(store.read("k1", null).join().valueCount()).as("merged with, not overwriting, what was here").isEqualTo(2);
        assertThat(store.read("k2", null).join().valueCount()).isEqualTo(1);

        departed.set(true);
        RpcResponse refused = onContext(() -> rpc.call("peer", new RpcRequest(0, RpcRequest.Op.WRITE, "k3", null,
                DvvSetCodec.encode(state("late", "n3")), null), 5_000));
        assertThat(refused.status()).isEqualTo(RpcResponse.Status.REFUSED);
        assertThat(store.read("k3", null).join().entries()).isEmpty();
        RpcResponse read = onContext(() -> rpc.call("peer", new RpcRequest(0, RpcRequest.Op.READ, "k2", null, null, null), 5_000));
        assertThat(read.status()).as("reads are still served").isEqualTo(RpcResponse.Status.OK);
    }

    @Test
    void aReapRemovesOnlyAStateOfTombstones() throws Exception {
        ReplicaClient rpc = connect();
        DvvSet<StoredValue> live = state("alive", "n1");
        store.merge("live", null, live).join();
        DvvSet<StoredValue> deleted = DvvSet.<StoredValue>empty().update(VersionVector.empty(), StoredValue.tombstone(1), "n1");
        store.merge("deleted", null, deleted).join();

        RpcResponse refused = onContext(() -> rpc.call("peer", new RpcRequest(0, RpcRequest.Op.REAP, "live", null,
                DvvSetCodec.encode(live), null), 5_000));
        assertThat(refused.status()).isEqualTo(RpcResponse.Status.REFUSED);
        assertThat(store.read("live", null).join()).as("a live value is never reaped").isEqualTo(live);

        RpcResponse reaped = onContext(() -> rpc.call("peer", new RpcRequest(0, RpcRequest.Op.REAP, "deleted", null,
                DvvSetCodec.encode(deleted), null), 5_000));
        assertThat(reaped.status()).isEqualTo(RpcResponse.Status.OK);
        assertThat(store.read("deleted", null).join().entries()).isEmpty();
    }

    @Test
    void usersAreNeverServedOverAPlainConnection() throws Exception {
        ReplicaClient rpc = connect();
        RpcResponse r = onContext(() -> rpc.call("peer", new RpcRequest(0, RpcRequest.Op.USERS, null, null, null, null),
                5_000));
        assertThat(r.status()).isEqualTo(RpcResponse.Status.REFUSED);
    }
}
