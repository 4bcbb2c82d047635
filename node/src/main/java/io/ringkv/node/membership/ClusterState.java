package io.ringkv.node.membership;

import io.ringkv.ring.Change;
import io.ringkv.node.security.Users;
import io.ringkv.ring.Ring;
import io.ringkv.ring.Transition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What this node knows of the cluster: the ring, the settings and which members are live. Read on
 * every request from any thread, so each part is an immutable value behind a volatile field; changes
 * come from gossip and membership threads and are serialized here.
 *
 * <p>Rings and settings only move forward: a candidate replaces the current value only if it has a
 * higher version, or the same version and a greater tie-break, so nodes that hear the same values in
 * any order end up agreeing.
 *
 * <p>A committed ring change in progress is a {@link Transition} from the current ring; views of it merge
 * (see {@link Transition#merge}). The moment a node's view of it is complete, that node adopts the next
 * ring: every node decides alone, and all decide the same, since they merge the same done sets.
 */
public final class ClusterState {

    private final String self;
    private volatile Ring ring;
    private volatile ClusterSettings settings;
    private volatile Users users = Users.NONE;
    private volatile Transition transition;
    private volatile boolean wasMember;
    private final List<Change> staged = new ArrayList<>();
    private volatile Map<String, Peer> live = Map.of();
    private final List<Consumer<Ring>> ringListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClusterSettings>> settingsListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Users>> usersListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Map<String, Peer>>> liveListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Transition>> transitionListeners = new CopyOnWriteArrayList<>();

    /**
     * @param ring     the ring this node last knew, or null if it has never been part of one
     * @param settings the settings this node last knew, or its command-line defaults
     */
    public ClusterState(String self, Ring ring, ClusterSettings settings) {
        this(self, ring, settings, null);
    }

    /** @param transition the transition this node last knew of, or null; ignored unless it follows {@code ring} */
    public ClusterState(String self, Ring ring, ClusterSettings settings, Transition transition) {
        this(self, ring, settings, transition, false);
    }

    /**
     * @param wasMember whether this node's data says it was a ring member once (it stays true after the
     *                  node left, so a node restarted after leaving knows it left)
     */
    public ClusterState(String self, Ring ring, ClusterSettings settings, Transition transition, boolean wasMember) {
        this.self = self;
        this.ring = ring;
        this.settings = settings;
        this.transition = transition != null && transition.follows(ring) ? transition : null;
        this.wasMember = wasMember || (ring != null && ring.members().contains(self));
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

    /**
     * True when this node was a member of a ring and the current ring no longer has it: it left, and
     * must neither ask to join again nor take new data.
     */
    public boolean departed() {
        return wasMember && !inRing();
    }

    /** The ring and the transition from it, read together. */
    public record Snapshot(Ring ring, Transition transition) {
    }

    /** The ring and the transition, consistent with each other (for saving them). */
    public synchronized Snapshot snapshot() {
        return new Snapshot(ring, transition);
    }

    /** The ring change in progress, or null. */
    public Transition transition() {
        return transition;
    }

    /** True when {@code node} is a member of the current ring or of the ring a transition leads to. */
    public boolean joiningOrMember(String node) {
        Ring r = ring;
        Transition t = transition;
        return (r != null && r.members().contains(node)) || (t != null && t.next().members().contains(node));
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

    /**
     * Whether {@code node} is in the ring or joining it: a node this one may exchange replicas with.
     * Liveness alone does not count: it comes from member attributes anyone on the gossip port can set.
     */
    public boolean knows(String node) {
        return joiningOrMember(node);
    }

    /** The live member {@code node}, or null if it is down or unknown. */
    public Peer peer(String node) {
        return live.get(node);
    }

    /**
     * Adopts {@code candidate} if it supersedes the current ring; returns whether it did.
     *
     * @throws IllegalArgumentException when it cannot follow the current ring: the partition count of a
     *                                  cluster never changes
     */
    public boolean offerRing(Ring candidate) {
        boolean transitionEnded;
        synchronized (this) {
            Ring current = ring;
            if (current != null && candidate.partitionCount() != current.partitionCount()) {
                throw new IllegalArgumentException("a ring of " + candidate.partitionCount() + " partitions cannot "
                        + "follow one of " + current.partitionCount());
            }
            if (current != null && candidate.compareTo(current) <= 0) {
                return false;
            }
            adoptRing(candidate);
            transitionEnded = transition != null && !transition.follows(candidate);
            if (transitionEnded) {
                transition = null;
            }
        }
        ringListeners.forEach(l -> l.accept(candidate));
        if (transitionEnded) {
            transitionListeners.forEach(l -> l.accept(null));
        }
        return true;
    }

    private void adoptRing(Ring candidate) {
        ring = candidate;
        if (candidate.members().contains(self)) {
            wasMember = true;
        }
    }

    /**
     * Merges {@code candidate} into the transition this node knows, if it leads on from the current
     * ring; when the result is complete, adopts its next ring. Returns whether anything changed.
     */
    public boolean offerTransition(Transition candidate) {
        Transition merged;
        Ring flipped = null;
        synchronized (this) {
            Ring current = ring;
            if (!candidate.follows(current)) {
                return false;
            }
            Transition known = transition;
            merged = known == null ? candidate : known.merge(candidate);
            if (merged.equals(known)) {
                return false;
            }
            if (merged.isComplete(current)) {
                flipped = merged.next();
                adoptRing(flipped);
                transition = null;
            } else {
                transition = merged;
            }
        }
        if (flipped != null) {
            Ring adopted = flipped;
            ringListeners.forEach(l -> l.accept(adopted));
            transitionListeners.forEach(l -> l.accept(null));
        } else {
            transitionListeners.forEach(l -> l.accept(merged));
        }
        return true;
    }

    /** Records that this node finished streaming {@code partition} for the transition in progress. */
    public boolean markDone(Transition.Source source) {
        Transition t = transition;
        return t != null && offerTransition(t.withDone(source));
    }

    /** Changes staged on this node for the next plan, in staging order. */
    public synchronized List<Change> staged() {
        return List.copyOf(staged);
    }

    /** Stages {@code change}, replacing an earlier one for the same node. */
    public synchronized void stage(Change change) {
        staged.removeIf(c -> c.node().equals(change.node()));
        staged.add(change);
    }

    /** Drops every staged change, or, when {@code committed} is given, those a commit just applied. */
    public synchronized void clearStaged(List<Change> committed) {
        if (committed == null) {
            staged.clear();
        } else {
            staged.removeAll(committed);
        }
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

    /** The cluster's users, as this node knows them. */
    public Users users() {
        return users;
    }

    /** Merges {@code candidate} into the users this node has, user by user; returns whether anything changed. */
    public boolean offerUsers(Users candidate) {
        Users merged;
        synchronized (this) {
            merged = users.merge(candidate);
            if (merged.equals(users)) {
                return false;
            }
            users = merged;
        }
        usersListeners.forEach(l -> l.accept(merged));
        return true;
    }

    /** Applies {@code change} to the current users atomically, so two changes on this node never lose one. */
    public Users updateUsers(UnaryOperator<Users> change) {
        Users next;
        synchronized (this) {
            next = change.apply(users);
            users = next;
        }
        usersListeners.forEach(l -> l.accept(next));
        return next;
    }

    public void onUsersChange(Consumer<Users> listener) {
        usersListeners.add(listener);
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

    /** Told the transition after every change to it, or null when it ended (the next ring was adopted). */
    public void onTransitionChange(Consumer<Transition> listener) {
        transitionListeners.add(listener);
    }
}
