package io.ringkv.node.membership;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.node.security.Users;
import io.ringkv.ring.Change;
import io.ringkv.ring.Plan;
import io.ringkv.ring.Ring;
import io.ringkv.ring.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Spreads the ring, the ring change in progress and the settings between members, and admits new nodes.
 *
 * <p>Every member periodically publishes the ring, transition and settings it has, and publishes again at
 * once when they change or a member comes up; a member adopts what supersedes its own ({@link ClusterState}).
 * A node started to join (and not one that left) asks to; the claimant, the live ring member with the
 * smallest id, answers when no other change is in progress by committing a plan that adds every node
 * asking (the ring's claim algorithm), exactly as {@code kv cluster join} and {@code commit} would. Data
 * then moves before ownership does (see {@link Transition}). Temporary failures never change ownership:
 * only a join or a leave does.
 */
public final class MetadataGossip {

    private static final Logger log = LoggerFactory.getLogger(MetadataGossip.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One gossip message; absent parts are null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Message(@JsonProperty("from") String from,
                   @JsonProperty("ring") RingJson ring,
                   @JsonProperty("settings") ClusterSettings settings,
                   @JsonProperty("join") String join,
                   @JsonProperty("transition") TransitionJson transition,
                   @JsonProperty("users_digest") String usersDigest) {
    }

    /** The wire and disk form of a transition; each done source is "partition/node". */
    public record TransitionJson(@JsonProperty("next") RingJson next, @JsonProperty("n") int n,
                                 @JsonProperty("done") List<String> done) {
        public static TransitionJson of(Transition t) {
            List<String> done = new ArrayList<>();
            t.done().forEach(s -> done.add(s.partition() + "/" + s.node()));
            return new TransitionJson(RingJson.of(t.next()), t.n(), done);
        }

        /** @throws IllegalArgumentException if it is malformed */
        public Transition toTransition() {
            Set<Transition.Source> sources = new TreeSet<>();
            for (String s : done == null ? List.<String>of() : done) {
                int slash = s.indexOf('/');
                if (slash <= 0) {
                    throw new IllegalArgumentException("bad handoff source: " + s);
                }
                sources.add(new Transition.Source(Integer.parseInt(s.substring(0, slash)), s.substring(slash + 1)));
            }
            return new Transition(next.toRing(), n, sources);
        }
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
    private final boolean autoJoin;
    private final Consumer<String> usersDiffer;
    static final long USERS_RETRY_MS = 10_000;

    private record Asked(String digest, long atNanos) {
    }

    /** The users digest each signer last made this node fetch, and when. */
    private final Map<String, Asked> askedUsers = new ConcurrentHashMap<>();
    /** Nodes that asked to join, as the claimant heard them. */
    private final Set<String> asking = ConcurrentHashMap.newKeySet();

    /**
     * @param publish  sends a message to every other member
     * @param autoJoin whether this node asks to join when it is not in the ring (else it waits for an
     *                 operator's {@code kv cluster join})
     */
    public MetadataGossip(ClusterState state, Consumer<String> publish, boolean autoJoin) {
        this(state, publish, autoJoin, node -> { });
    }

    /** @param usersDiffer told the node whose signed gossip says its users differ from this node's */
    public MetadataGossip(ClusterState state, Consumer<String> publish, boolean autoJoin, Consumer<String> usersDiffer) {
        this.usersDiffer = usersDiffer;
        this.state = state;
        this.publish = publish;
        this.autoJoin = autoJoin;
    }

    /** Publishes this node's ring, transition and settings, and its wish to join if it has one. */
    public void tick() {
        Ring ring = state.ring();
        Transition transition = state.transition();
        boolean wantsToJoin = autoJoin && !state.departed() && !state.joiningOrMember(state.self());
        Users users = state.users();
        send(new Message(state.self(), ring == null ? null : RingJson.of(ring), state.settings(),
                wantsToJoin ? state.self() : null, transition == null ? null : TransitionJson.of(transition),
                users.isEmpty() ? null : users.digest()));
        admitAsking();
    }

    /**
     * Handles a message another member published.
     *
     * @param signer the node that signed it, when gossip is signed: the message must say it is from
     *               that node, so a node cannot speak for another
     */
    public void receive(String raw, Optional<String> signer) {
        Message m;
        try {
            m = JSON.readValue(raw, Message.class);
        } catch (IOException | IllegalArgumentException e) {
            log.atWarn().addKeyValue("error", e.getMessage()).log("ignoring undecodable gossip");
            return;
        }
        if (signer.isPresent() && !signer.get().equals(m.from())) {
            log.atWarn().addKeyValue("signer", signer.get()).addKeyValue("from", m.from())
                    .log("ignoring gossip signed by one node on behalf of another");
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
        if (m.transition() != null) {
            try {
                Ring before = state.ring();
                if (state.offerTransition(m.transition().toTransition()) && state.ring() != before) {
                    log.atInfo().addKeyValue("version", state.ring().version()).log("handoffs done; adopted the next ring");
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                log.atWarn().addKeyValue("from", m.from()).addKeyValue("error", e.getMessage()).log("ignoring invalid transition");
            }
        }
        if (m.settings() != null && state.offerSettings(m.settings())) {
            log.atInfo().addKeyValue("version", m.settings().version()).addKeyValue("from", m.from()).log("adopted settings");
        }
        // Gossip says only whether the users differ; they are fetched from the signer over mutual TLS.
        if (m.usersDigest() != null && signer.isPresent() && state.knows(signer.get())
                && !m.usersDigest().equals(state.users().digest()) && shouldAsk(signer.get(), m.usersDigest())) {
            usersDiffer.accept(signer.get());
        }
        if (m.join() != null) {
            admit(m.join());
        }
    }

    /**
     * Whether to fetch {@code signer}'s users now: at once for a digest not asked about yet, and at most
     * every {@value #USERS_RETRY_MS} ms for the same one (a fetch that did not settle the difference).
     */
    private boolean shouldAsk(String signer, String digest) {
        long now = System.nanoTime();
        boolean[] ask = {false};
        askedUsers.compute(signer, (s, last) -> {
            if (last == null || !last.digest().equals(digest) || now - last.atNanos() > USERS_RETRY_MS * 1_000_000) {
                ask[0] = true;
                return new Asked(digest, now);
            }
            return last;
        });
        return ask[0];
    }

    /** Notes that {@code node} asks to join, and admits it if this node is the claimant. */
    void admit(String node) {
        asking.add(node);
        admitAsking();
    }

    /**
     * The claimant, when no change is in progress, commits the join of every live node that asked and is
     * not a member yet, in one plan. Synchronized: gossip threads, timers and event loops call it, and two
     * plans made at once from different snapshots of who asks would race each other.
     */
    private synchronized void admitAsking() {
        Ring ring = state.ring();
        asking.removeIf(state::joiningOrMember);
        if (asking.isEmpty() || ring == null || state.transition() != null || !isClaimant(ring)) {
            return;
        }
        List<Change> joins = new ArrayList<>();
        new TreeSet<>(asking).stream().filter(state::isLive).forEach(node -> joins.add(Change.join(node)));
        if (joins.isEmpty()) {
            return;
        }
        Plan plan;
        try {
            plan = Plan.of(ring, joins, state.settings().n());
        } catch (Plan.RefusedException e) {
            log.atWarn().addKeyValue("nodes", asking).addKeyValue("reason", e.getMessage()).log("cannot admit");
            return;
        }
        if (state.offerTransition(Transition.start(ring, plan.next(), state.settings().n()))) {
            log.atInfo().addKeyValue("nodes", joins.stream().map(Change::node).toList())
                    .addKeyValue("version", plan.next().version()).log("admitting nodes; data moves first");
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
