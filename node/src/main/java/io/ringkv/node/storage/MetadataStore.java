package io.ringkv.node.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.node.membership.ClusterSettings;
import io.ringkv.node.security.Users;
import io.ringkv.node.membership.MetadataGossip;
import io.ringkv.ring.Ring;
import io.ringkv.ring.Transition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The node's own metadata in the {@link Store.Space#META} space: its identity, and the last ring and
 * settings it knew, so that a restarted node rejoins with the same ownership instead of asking again.
 */
public final class MetadataStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] NODE_ID = "node_id".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACTOR = "actor_id".getBytes(StandardCharsets.UTF_8);
    private static final byte[] RING = "ring".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SETTINGS = "settings".getBytes(StandardCharsets.UTF_8);
    private static final byte[] USERS = "users".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TRANSITION = "transition".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WAS_MEMBER = "was_member".getBytes(StandardCharsets.UTF_8);

    private final Store store;

    public MetadataStore(Store store) {
        this.store = store;
    }

    /**
     * Records that this data belongs to {@code nodeId} and returns the actor id under which this data
     * mints dots: the node id and the epoch of this data directory.
     *
     * <p>Why an epoch: a node whose data was lost (a wiped or replaced disk) restarts with empty counters
     * under the same node id; minting dots under the bare id again would reuse dots other replicas hold
     * for different values, and merging would then silently drop writes. Fresh data gets a fresh epoch,
     * so its dots can never collide with those of the data it replaces.
     *
     * @throws IllegalStateException if the data belongs to another node: starting a node on another
     *                               node's data would make two nodes mint dots under one id
     */
    public String claimIdentity(String nodeId) {
        byte[] existing = store.get(Store.Space.META, NODE_ID);
        if (existing == null) {
            String actor = nodeId + "." + Long.toString(System.currentTimeMillis(), 36);
            store.put(Store.Space.META, ACTOR, actor.getBytes(StandardCharsets.UTF_8));
            store.put(Store.Space.META, NODE_ID, nodeId.getBytes(StandardCharsets.UTF_8));
            return actor;
        }
        String owner = new String(existing, StandardCharsets.UTF_8);
        if (!owner.equals(nodeId)) {
            throw new IllegalStateException("the data directory belongs to node '" + owner + "', not '" + nodeId + "'");
        }
        return new String(store.get(Store.Space.META, ACTOR), StandardCharsets.UTF_8);
    }

    public Ring loadRing() {
        byte[] raw = store.get(Store.Space.META, RING);
        return raw == null ? null : read(raw, MetadataGossip.RingJson.class).toRing();
    }

    public void saveRing(Ring ring) {
        store.put(Store.Space.META, RING, write(MetadataGossip.RingJson.of(ring)));
    }

    /** Whether this node was a ring member once (so, if it is not one now, it left). */
    public boolean wasMember() {
        return store.get(Store.Space.META, WAS_MEMBER) != null;
    }

    /** Records that this node is a ring member; kept after it leaves. */
    public void markMember() {
        if (!wasMember()) {
            store.put(Store.Space.META, WAS_MEMBER, new byte[] {1});
        }
    }

    /** The ring change in progress this node last knew of, or null. */
    public Transition loadTransition() {
        byte[] raw = store.get(Store.Space.META, TRANSITION);
        return raw == null ? null : read(raw, MetadataGossip.TransitionJson.class).toTransition();
    }

    /** Saves the ring change in progress; null records that none is. */
    public void saveTransition(Transition transition) {
        if (transition == null) {
            store.delete(Store.Space.META, TRANSITION);
        } else {
            store.put(Store.Space.META, TRANSITION, write(MetadataGossip.TransitionJson.of(transition)));
        }
    }

    public ClusterSettings loadSettings() {
        byte[] raw = store.get(Store.Space.META, SETTINGS);
        return raw == null ? null : read(raw, ClusterSettings.class);
    }

    public void saveSettings(ClusterSettings settings) {
        store.put(Store.Space.META, SETTINGS, write(settings));
    }

    /** The cluster's users this node last knew ({@link Users#NONE} before any). */
    public Users loadUsers() {
        byte[] raw = store.get(Store.Space.META, USERS);
        return raw == null ? Users.NONE : read(raw, Users.class);
    }

    public void saveUsers(Users users) {
        store.put(Store.Space.META, USERS, write(users));
    }

    private static <T> T read(byte[] raw, Class<T> type) {
        try {
            return JSON.readValue(raw, type);
        } catch (IOException e) {
            throw new StoreException("stored " + type.getSimpleName() + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
