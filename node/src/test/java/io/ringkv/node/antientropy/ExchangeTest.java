package io.ringkv.node.antientropy;

import io.ringkv.coordinator.ConflictMode;
import io.ringkv.node.rpc.ReplicaClient;
import io.ringkv.node.rpc.ReplicaServer;
import io.ringkv.node.security.Users;
import io.ringkv.node.storage.MemoryStore;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.versioning.DvvSet;
import io.ringkv.versioning.StoredValue;
import io.ringkv.versioning.VersionVector;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas in one JVM, the second behind a real replica server on loopback: exchanges between them
 * find exactly the keys they disagree on and leave both with the merged state.
 */
class ExchangeTest {

    private static final int PARTITIONS = 16;
    private static final int KEYS = 2000;

    private Vertx vertx;
    private Context context;
    private ReplicaStore a;
    private ReplicaStore b;
    private PartitionTrees treesA;
    private PartitionTrees treesB;
    private ReplicaClient rpc;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        a = new ReplicaStore(new MemoryStore(), 2, 10_000, 1 << 20, () -> ConflictMode.SIBLINGS);
        b = new ReplicaStore(new MemoryStore(), 2, 10_000, 1 << 20, () -> ConflictMode.SIBLINGS);
        treesA = PartitionTrees.open(a, PARTITIONS, System::currentTimeMillis);
        treesB = PartitionTrees.open(b, PARTITIONS, System::currentTimeMillis);
        ReplicaServer server = new ReplicaServer(b, null, new ExchangeServer(treesB, b, context), context, () -> false, Optional.empty(),
                node -> true, () -> Users.NONE);
        NetServer net = await(onContext(() -> vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
                .connectHandler(server::serve).listen()));
        int port = net.actualPort();
        rpc = await(onContext(() -> Future.succeededFuture(new ReplicaClient(vertx, "127.0.0.1",
                node -> SocketAddress.inetSocketAddress(port, "127.0.0.1"), 1000, 100, Optional.empty()))));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        a.close();
        b.close();
    }

    private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
        io.vertx.core.Promise<T> p = io.vertx.core.Promise.promise();
        context.runOnContext(v -> work.get().onComplete(p));
        return p.future();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static DvvSet<StoredValue> write(String value, String node) {
        return DvvSet.<StoredValue>empty().update(VersionVector.empty(),
                StoredValue.of(value.getBytes(StandardCharsets.UTF_8), "text/plain", 1), node);
    }

    /** Exchanges every partition of A with B; the exchanges that ran. */
    private List<ExchangeLog.Exchange> exchangeAll() throws Exception {
        List<ExchangeLog.Exchange> done = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            done.add(await(onContext(() -> new Exchange(vertx, context, treesA, a, rpc, permits -> Future.succeededFuture(),
                    PARTITIONS, partition, "b").run())));
        }
        return done;
    }

    @Test
    void anExchangeRepairsExactlyWhatDiffersAndMovesLittle() throws Exception {
        for (int i = 0; i < KEYS; i++) {
            DvvSet<StoredValue> state = write("v" + i, "n1");
            a.merge("k" + i, null, state).join();
            b.merge("k" + i, null, state).join();
        }
        Set<String> diverged = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            a.merge("k" + i, null, write("only-a-" + i, "n2")).join();
            diverged.add("k" + i);
        }
        for (int i = 40; i < 70; i++) {
            b.merge("k" + i, null, write("only-b-" + i, "n3")).join();
            diverged.add("k" + i);
        }
        for (int i = 0; i < 20; i++) {
            b.merge("new-" + i, null, write("new", "n3")).join();
            diverged.add("new-" + i);
        }
        for (int p = 0; p < PARTITIONS; p++) {
            treesA.rebuild(p);
            treesB.rebuild(p);
        }

        List<ExchangeLog.Exchange> first = exchangeAll();

        assertThat(first).allSatisfy(e -> assertThat(e.outcome()).as(e.error()).isEqualTo(ExchangeLog.Outcome.COMPLETED));
        assertThat(first.stream().mapToLong(ExchangeLog.Exchange::keysRepaired).sum()).isEqualTo(diverged.size());
        for (int i = 0; i < KEYS; i++) {
            assertThat(a.read("k" + i, null).join()).as("k%d", i).isEqualTo(b.read("k" + i, null).join());
        }
        assertThat(a.read("k3", null).join().valueCount()).as("concurrent writes both kept").isEqualTo(2);
        assertThat(a.read("new-3", null).join().valueCount()).isEqualTo(1);
        // Hashes, listings and states of the differing keys only: far less than the data set.
        long bytes = first.stream().mapToLong(ExchangeLog.Exchange::bytes).sum();
        assertThat(bytes).isLessThan(KEYS * 40L);

        List<ExchangeLog.Exchange> second = exchangeAll();

        assertThat(second).allSatisfy(e -> {
            assertThat(e.outcome()).isEqualTo(ExchangeLog.Outcome.COMPLETED);
            assertThat(e.segmentsDiffering()).isZero();
        });
        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(treesA.hashes(PARTITIONS, p, 0, new int[] {0})).containsExactly(treesB.hashes(PARTITIONS, p, 0, new int[] {0}));
        }
    }

    @Test
    void aPeerWhoseTreeIsNotBuiltDefersTheExchange() throws Exception {
        treesA.rebuild(0);

        ExchangeLog.Exchange e = await(onContext(() -> new Exchange(vertx, context, treesA, a, rpc,
                permits -> Future.succeededFuture(), PARTITIONS, 0, "b").run()));

        assertThat(e.outcome()).isEqualTo(ExchangeLog.Outcome.NOT_READY);
        assertThat(e.error()).contains("not built");
    }
}
