package io.ringkv.node.membership;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.ring.Ring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Spreads the ring and the settings between members, and admits new nodes to the ring.
 *
 * <p>Every member periodically publishes the ring and settings it has, and publishes again at once when
 * they change or a member comes up; a member adopts what supersedes its own ({@link ClusterState}). A
 * node that is not in the ring asks to join; the claimant, the live ring member with the smallest id,
 * answers by adding it with the ring's claim algorithm and publishing the new ring. Temporary failures
 * never change ownership: only a join (or, later, a leave) does.
 */
public final class MetadataGossip {

    private static final Logger log = LoggerFactory.getLogger(MetadataGossip.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One gossip message; absent parts are null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Message(@JsonProperty("from") String from,
                   @JsonProperty("ring") RingJson ring,
                   @JsonProperty("settings") ClusterSettings settings,
                   @JsonProperty("join") String join) {
    }

    /** The wire and disk form of a ring. */
    public record RingJson(@JsonProperty("version") long version, @JsonProperty("owners") List<String> owners) {
        public static RingJson of(Ring ring) {
            return new RingJson(ring.version(), ring.owners());
        }

        public Ring toRing() {
            return Ring.of(version, owners);
        }
    }

    private final ClusterState state;
    private final Consumer<String> publish;

    /** @param publish sends a message to every other member */
    public MetadataGossip(ClusterState state, Consumer<String> publish) {
        this.state = state;
        this.publish = publish;
    }

    /** Publishes this node's ring and settings, or its wish to join when it is not in the ring. */
    public void tick() {
        Ring ring = state.ring();
        String join = state.inRing() ? null : state.self();
        send(new Message(state.self(), ring == null ? null : RingJson.of(ring), state.settings(), join));
    }

    /** Handles a message another member published. */
    public void receive(String raw) {
        Message m;
        try {
            m = JSON.readValue(raw, Message.class);
        } catch (IOException | IllegalArgumentException e) {
            log.atWarn().addKeyValue("error", e.getMessage()).log("ignoring undecodable gossip");
            return;
        }
        if (m.ring() != null) {
            try {
                if (state.offerRing(m.ring().toRing())) {
                    log.atInfo().addKeyValue("version", m.ring().version()).addKeyValue("from", m.from()).log("adopted ring");
                }
            } catch (IllegalArgumentException e) {
                log.atWarn().addKeyValue("from", m.from()).addKeyValue("error", e.getMessage()).log("ignoring invalid ring");
            }
        }
        if (m.settings() != null && state.offerSettings(m.settings())) {
            log.atInfo().addKeyValue("version", m.settings().version()).addKeyValue("from", m.from()).log("adopted settings");
        }
        if (m.join() != null) {
            admit(m.join());
        }
    }

    /** Adds {@code node} to the ring if this node is the claimant and the node is not a member yet. */
    void admit(String node) {
        Ring ring = state.ring();
        if (ring == null || ring.members().contains(node) || !isClaimant(ring)) {
            return;
        }
        Ring next = ring.join(node, state.settings().n());
        if (state.offerRing(next)) {
            log.atInfo().addKeyValue("node", node).addKeyValue("version", next.version()).log("node joined the ring");
            tick();
        }
    }

    private boolean isClaimant(Ring ring) {
        for (String member : ring.members()) {
            if (state.isLive(member)) {
                return member.equals(state.self());
            }
        }
        return false;
    }

    private void send(Message message) {
        try {
            publish.accept(JSON.writeValueAsString(message));
        } catch (IOException e) {
            throw new IllegalStateException("gossip message not serialisable", e);
        }
    }
}
