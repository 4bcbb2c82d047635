package io.ringkv.node.membership;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Membership, liveness and gossip through Hazelcast, and nothing else: no user data ever enters a
 * Hazelcast structure. Members find each other through the seed list (TCP/IP join, no multicast),
 * advertise their node id and addresses as member attributes, and are declared down when their
 * heartbeats stop for the failure timeout. The only structure used is one topic that carries cluster
 * metadata (ring and settings) between members.
 *
 * <p>Every socket, listening and outgoing, is bound to the node's own address, so that a rule dropping
 * traffic between two loopback addresses cuts this layer as it cuts the others.
 */
public final class HazelcastMembership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HazelcastMembership.class);
    private static final String TOPIC = "ringkv-metadata";

    /** Where and how this member joins. */
    public record Options(String clusterName, String nodeId, String host, int gossipPort, int httpPort, int rpcPort,
                          List<String> seeds, int heartbeatSeconds, int failureTimeoutSeconds) {
    }

    private final HazelcastInstance hz;
    private final ITopic<String> topic;
    private final Consumer<Map<String, Peer>> onLiveChange;
    private final Options options;

    private HazelcastMembership(HazelcastInstance hz, Options options, Consumer<Map<String, Peer>> onLiveChange,
                                Consumer<String> onMessage) {
        this.hz = hz;
        this.options = options;
        this.onLiveChange = onLiveChange;
        this.topic = hz.getTopic(TOPIC);
        topic.addMessageListener(m -> {
            if (!m.getPublishingMember().localMember()) {
                onMessage.accept(m.getMessageObject());
            }
        });
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                log.atInfo().addKeyValue("member", e.getMember().getAttribute("node")).log("member up");
                publishLive();
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                log.atInfo().addKeyValue("member", e.getMember().getAttribute("node")).log("member down");
                publishLive();
            }
        });
        publishLive();
    }

    /**
     * Starts this member and joins whatever members of the seed list are up; blocks until it has
     * either joined them or formed a cluster of its own.
     *
     * @param onLiveChange called with the live members whenever they change (on a Hazelcast thread)
     * @param onMessage    called with every metadata message another member publishes
     */
    public static HazelcastMembership start(Options options, Consumer<Map<String, Peer>> onLiveChange,
                                            Consumer<String> onMessage) {
        // Read before any Config exists, by the first lines Hazelcast logs.
        System.setProperty("hazelcast.logging.type", "slf4j");
        Config config = new Config();
        config.setClusterName(options.clusterName());
        config.setInstanceName("ringkv-" + options.nodeId());
        config.getJetConfig().setEnabled(false);
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        // No data lives here, so a handful of partitions is plenty and keeps start-up and migrations cheap.
        config.setProperty("hazelcast.partition.count", "7");
        config.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(options.heartbeatSeconds()));
        config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(options.failureTimeoutSeconds()));
        config.setProperty("hazelcast.wait.seconds.before.join", "1");
        config.setProperty("hazelcast.max.wait.seconds.before.join", "2");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "3");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "3");
        // Bind every socket, server and client side, to the node's address only.
        config.setProperty("hazelcast.local.localAddress", options.host());
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.socket.client.bind", "true");
        config.setProperty("hazelcast.socket.client.bind.any", "false");

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(options.gossipPort()).setPortAutoIncrement(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(
                options.seeds().isEmpty() ? List.of(options.host() + ":" + options.gossipPort()) : options.seeds());

        config.getMemberAttributeConfig()
                .setAttribute("node", options.nodeId())
                .setAttribute("host", options.host())
                .setAttribute("http", String.valueOf(options.httpPort()))
                .setAttribute("rpc", String.valueOf(options.rpcPort()));
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
        return new HazelcastMembership(hz, options, onLiveChange, onMessage);
    }

    /** Sends {@code message} to every other live member. */
    public void publish(String message) {
        topic.publishAsync(message);
    }

    /** The live members, this one included, by node id. */
    public Map<String, Peer> live() {
        Map<String, Peer> live = new HashMap<>();
        for (Member m : hz.getCluster().getMembers()) {
            String node = m.getAttribute("node");
            try {
                live.put(node, new Peer(node, m.getAttribute("host"), Integer.parseInt(m.getAttribute("http")),
                        Integer.parseInt(m.getAttribute("rpc"))));
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("member", m.getAddress()).log("member without ringkv attributes ignored");
            }
        }
        return Map.copyOf(live);
    }

    private void publishLive() {
        onLiveChange.accept(live());
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() {
        try {
            hz.shutdown();
        } catch (RuntimeException e) {
            log.atDebug().addKeyValue("error", e.toString()).log("membership shutdown");
        }
    }
}
