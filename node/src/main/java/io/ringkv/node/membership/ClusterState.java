package io.ringkv.node.membership;

import io.ringkv.ring.Ring;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What this node knows of the cluster: the ring, the settings and which members are live. Read on
 * every request from any thread, so each part is an immutable value behind a volatile field; changes
 * come from gossip and membership threads and are serialized here.
 *
 * <p>Rings and settings only move forward: a candidate replaces the current value only if it has a
 * higher version, or the same version and a greater tie-break, so nodes that hear the same values in
 * any order end up agreeing.
 */
public final class ClusterState {

    private final String self;
    private volatile Ring ring;
    private volatile ClusterSettings settings;
    private volatile Map<String, Peer> live = Map.of();
    private final List<Consumer<Ring>> ringListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClusterSettings>> settingsListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Map<String, Peer>>> liveListeners = new CopyOnWriteArrayList<>();

    /**
     * @param ring     the ring this node last knew, or null if it has never been part of one
     * @param settings the settings this node last knew, or its command-line defaults
     */
    public ClusterState(String self, Ring ring, ClusterSettings settings) {
        this.self = self;
        this.ring = ring;
        this.settings = settings;
    }

    public String self() {
        return self;
    }

    /** The current ring, or null before this node has heard of one. */
    public Ring ring() {
        return ring;
    }

    /** True once this node owns partitions in the ring it knows. */
    public boolean inRing() {
        Ring r = ring;
        return r != null && r.members().contains(self);
    }

    public ClusterSettings settings() {
        return settings;
    }

    public Map<String, Peer> live() {
        return live;
    }

    public boolean isLive(String node) {
        return live.containsKey(node);
    }

    /** The live member {@code node}, or null if it is down or unknown. */
    public Peer peer(String node) {
        return live.get(node);
    }

    /** Adopts {@code candidate} if it supersedes the current ring; returns whether it did. */
    public boolean offerRing(Ring candidate) {
        synchronized (this) {
            Ring current = ring;
            if (current != null && candidate.compareTo(current) <= 0) {
                return false;
            }
            ring = candidate;
        }
        ringListeners.forEach(l -> l.accept(candidate));
        return true;
    }

    /** Adopts {@code candidate} if it supersedes the current settings; returns whether it did. */
    public boolean offerSettings(ClusterSettings candidate) {
        synchronized (this) {
            if (!settings.supersededBy(candidate)) {
                return false;
            }
            settings = candidate;
        }
        settingsListeners.forEach(l -> l.accept(candidate));
        return true;
    }

    public void setLive(Map<String, Peer> members) {
        live = Map.copyOf(members);
        liveListeners.forEach(l -> l.accept(members));
    }

    public void onRingChange(Consumer<Ring> listener) {
        ringListeners.add(listener);
    }

    public void onSettingsChange(Consumer<ClusterSettings> listener) {
        settingsListeners.add(listener);
    }

    public void onLiveChange(Consumer<Map<String, Peer>> listener) {
        liveListeners.add(listener);
    }
}
