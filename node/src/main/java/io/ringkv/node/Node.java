package io.ringkv.node;

import io.ringkv.node.antientropy.AntiEntropy;
import io.ringkv.node.maintenance.HandoffProgress;
import io.ringkv.node.maintenance.MaintenanceVerticle;
import io.ringkv.node.membership.ClusterSettings;
import io.ringkv.node.membership.ClusterState;
import io.ringkv.node.membership.HazelcastMembership;
import io.ringkv.node.membership.MetadataGossip;
import io.ringkv.node.security.ContextSeal;
import io.ringkv.node.security.GossipSeal;
import io.ringkv.node.security.NodeTls;
import io.ringkv.node.security.PasswordHash;
import io.ringkv.node.security.Role;
import io.ringkv.node.security.User;
import io.ringkv.node.storage.MemoryStore;
import io.ringkv.node.storage.MetadataStore;
import io.ringkv.node.storage.ReplicaStore;
import io.ringkv.node.storage.RocksDbStore;
import io.ringkv.node.storage.Store;
import io.ringkv.ring.Ring;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One ringkv node: storage, the event loops serving clients and replicas, and membership. Start it
 * with {@link #start(NodeConfig)}; {@link #close()} stops it.
 */
public final class Node implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final NodeConfig config;
    private final Store store;
    private final ReplicaStore replicas;
    private final AntiEntropy antiEntropy;
    private final ClusterState cluster;
    private final ExecutorService metadataWriter;
    private final Vertx vertx;
    private final HazelcastMembership membership;

    private Node(NodeConfig config, Runnable onDeparted) {
        this.config = config;
        // Checked before anything is opened: a node with unusable certificates must not start at all.
        Optional<NodeTls> tls = config.secure()
                ? Optional.of(NodeTls.load(config.certsDir(), config.nodeId(), Clock.systemUTC())) : Optional.empty();
        Optional<ContextSeal> contexts = config.secure() ? Optional.of(ContextSeal.load(config.certsDir())) : Optional.empty();
        this.store = config.storage().equals("memory") ? new MemoryStore()
                : new RocksDbStore(config.dataDir().resolve("db"), config.fsync());
        MetadataStore metadata = new MetadataStore(store);
        String actor;
        try {
            actor = metadata.claimIdentity(config.nodeId());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        ClusterSettings settings = metadata.loadSettings();
        cluster = new ClusterState(config.nodeId(), metadata.loadRing(), settings == null ? config.initialSettings() : settings,
                metadata.loadTransition(), metadata.wasMember());
        cluster.offerUsers(metadata.loadUsers());
        if (config.bootstrapAdminPasswordFile() != null && !config.secure()) {
            store.close();
            throw new IllegalArgumentException("--bootstrap-admin-password-file needs --certs-dir: without TLS there "
                    + "is no authentication");
        }
        // Only the founder of a new cluster, only once: a node that joins learns the users by gossip, and a
        // restart with the flag after every user was removed must not bring an admin back.
        if (config.bootstrapAdminPasswordFile() != null && config.founds() && cluster.ring() == null
                && cluster.users().isEmpty()) {
            cluster.offerUsers(cluster.users().with(bootstrapAdmin(config.bootstrapAdminPasswordFile())));
            metadata.saveUsers(cluster.users());
        }
        if (cluster.inRing()) {
            metadata.markMember();
        }
        // Metadata is persisted off the threads that change it (event loops, Hazelcast), in change order.
        metadataWriter = Executors.newSingleThreadExecutor(r -> new Thread(r, "ringkv-metadata"));
        // Listeners may be told of changes out of order; each save writes the state current when it runs,
        // so the last one leaves the newest ring and transition on disk.
        Runnable saveRingAndTransition = () -> metadataWriter.execute(() -> {
            ClusterState.Snapshot now = cluster.snapshot();
            metadata.saveRing(now.ring());
            metadata.saveTransition(now.transition());
            if (now.ring().members().contains(config.nodeId())) {
                metadata.markMember();
            }
        });
        cluster.onRingChange(ring -> saveRingAndTransition.run());
        cluster.onSettingsChange(s -> metadataWriter.execute(() -> metadata.saveSettings(s)));
        // Each save writes the users current when it runs, so the newest are on disk last.
        cluster.onUsersChange(u -> metadataWriter.execute(() -> metadata.saveUsers(cluster.users())));
        cluster.onTransitionChange(t -> saveRingAndTransition.run());
        replicas = new ReplicaStore(store, config.storageThreads(), 4096, config.cacheBytes(),
                () -> cluster.settings().conflicts());
        replicas.countHints();
        try {
            antiEntropy = AntiEntropy.open(cluster, replicas, config.antiEntropy());
        } catch (RuntimeException e) {
            replicas.close();
            store.close();
            throw e;
        }
        NodeMetrics metrics = new NodeMetrics(config.nodeId());

        // One more event loop than client-serving ones: background work gets a loop of its own.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops() + 1).setPreferNativeTransport(true));
        log.atDebug().addKeyValue("native", vertx.isNativeTransportEnabled()).log("network transport");
        AtomicReference<HazelcastMembership> members = new AtomicReference<>();
        HandoffProgress handoff = new HandoffProgress();
        // With certificates, gossip is signed by its sender's node key: Hazelcast itself checks nobody.
        Optional<GossipSeal> seal = tls.map(t -> t.gossipSeal(Clock.systemUTC(), metrics::gossipRejected));
        // Gossip says when a node's users differ; the maintenance verticle fetches them over mutual TLS.
        AtomicReference<MaintenanceVerticle> fetcher = new AtomicReference<>();
        MetadataGossip gossip = new MetadataGossip(cluster, message -> {
            HazelcastMembership m = members.get();
            if (m != null) {
                m.publish(seal.map(s -> s.seal(message)).orElse(message));
            }
        }, config.autoJoin(), node -> {
            MaintenanceVerticle m = fetcher.get();
            if (m != null) {
                m.fetchUsers(node);
            }
        });
        Consumer<String> onGossip = seal.<Consumer<String>>map(s -> raw -> s.open(raw)
                        .ifPresent(opened -> gossip.receive(opened.body(), Optional.of(opened.signer()))))
                .orElse(raw -> gossip.receive(raw, Optional.empty()));
        NodeServices services = new NodeServices(config, actor, cluster, replicas, metrics, new AtomicInteger(), gossip::tick,
                antiEntropy, handoff, tls, contexts);
        try {
            Future.await(vertx.deployVerticle(() -> new NodeVerticle(services),
                    new DeploymentOptions().setInstances(config.eventLoops())));
            MaintenanceVerticle maintenance = new MaintenanceVerticle(cluster, replicas, metrics, config.host(),
                    new MaintenanceVerticle.Intervals(config.hintIntervalMs(), config.reapIntervalMs()),
                    config.hintRatePerSecond(), antiEntropy,
                    new MaintenanceVerticle.Handoff(handoff, config.handoffKeysPerSecond(), gossip::tick, onDeparted),
                    tls);
            Future.await(vertx.deployVerticle(maintenance));
            fetcher.set(maintenance);
        } catch (RuntimeException e) {
            closeQuietly();
            throw new IllegalStateException("cannot listen on " + config.host() + " ports " + config.httpPort() + "/"
                    + config.rpcPort() + ": " + e.getMessage(), e);
        }
        try {
            members.set(HazelcastMembership.start(new HazelcastMembership.Options(config.clusterName(), config.nodeId(),
                            config.host(), config.gossipPort(), config.httpPort(), config.rpcPort(), config.seeds(),
                            config.heartbeatSeconds(), config.failureTimeoutSeconds()),
                    live -> {
                        cluster.setLive(live);
                        // A member came or went: tell it (or the new majority) what we know at once.
                        if (members.get() != null) {
                            gossip.tick();
                        }
                    }, onGossip));
        } catch (RuntimeException e) {
            closeQuietly();
            throw new IllegalStateException("membership failed to start on " + config.host() + ":" + config.gossipPort()
                    + ": " + e.getMessage(), e);
        }
        membership = members.get();
        cluster.setLive(membership.live());
        if (cluster.ring() == null && config.founds()) {
            cluster.offerRing(Ring.create(config.partitions(), List.of(config.nodeId()), cluster.settings().n()));
            log.atInfo().addKeyValue("node", config.nodeId()).addKeyValue("partitions", config.partitions())
                    .log("founded a new cluster");
        }
        gossip.tick();
        vertx.setPeriodic(config.gossipIntervalMs(), id -> gossip.tick());
        // Certificates expire while nodes run: say so every few hours in the last 30 days, not only at start.
        tls.ifPresent(t -> vertx.setPeriodic(TimeUnit.HOURS.toMillis(6), id -> t.warnIfExpiring(Clock.systemUTC())));
    }

    /**
     * Starts a node: opens its storage, listens, joins the cluster through its seeds (or founds one).
     * Returns once it listens; {@link #isReady()} turns true once it is in a ring.
     *
     * @throws IllegalStateException if it cannot start (port in use, data directory locked or owned by
     *                               another node id)
     */
    public static Node start(NodeConfig config) {
        return start(config, () -> log.atInfo().addKeyValue("node", config.nodeId()).log("left the ring; nothing left to hand off"));
    }

    /**
     * As {@link #start(NodeConfig)}; {@code onDeparted} runs once when this node left the ring and handed off
     * all its data and hints (a process then exits).
     */
    public static Node start(NodeConfig config, Runnable onDeparted) {
        return new Node(config, onDeparted);
    }

    /** User {@code admin} with role admin and the password on the first line of {@code file}. */
    private static User bootstrapAdmin(Path file) {
        String password = PasswordHash.readFile(file);
        if (password.length() < 12) {
            throw new IllegalArgumentException("the admin password in " + file + " has fewer than 12 characters");
        }
        return new User("admin", PasswordHash.hash(password, new SecureRandom()), Set.of(Role.ADMIN), "");
    }

    /** True once this node is a member of the ring it knows and serves requests. */
    public boolean isReady() {
        return cluster.inRing();
    }

    public ClusterState cluster() {
        return cluster;
    }

    public NodeConfig config() {
        return config;
    }

    @Override
    public void close() {
        log.atInfo().addKeyValue("node", config.nodeId()).log("stopping");
        closeQuietly();
    }

    private void closeQuietly() {
        if (membership != null) {
            membership.close();
        }
        try {
            Future.await(vertx.close());
        } catch (RuntimeException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("vert.x close");
        }
        replicas.close();
        try {
            // After the storage threads stopped: no write can land between the save and the store closing.
            antiEntropy.close();
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("error", e.toString()).log("anti-entropy trees not saved; they will be rebuilt");
        }
        metadataWriter.shutdown();
        try {
            metadataWriter.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
