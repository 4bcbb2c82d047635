package io.ringkv.node.security;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster's users, spread by (signed) gossip so any node can authenticate any user. Each user is
 * versioned on its own, and a removed user stays as a tombstone, so documents merge user by user: a
 * change made on one node and another made elsewhere at the same time both survive, and a removal is
 * never undone by a document that has not seen it. Of two different entries of one version (changed at
 * once on two nodes), the one whose {@link Entry#tieBreak()} is greater wins everywhere.
 */
public record Users(@JsonProperty("entries") Map<String, Entry> entries) {

    public static final Users NONE = new Users(Map.of());

    /**
     * One user's latest change.
     *
     * @param user null once removed (a tombstone)
     */
    public record Entry(@JsonProperty("version") long version, @JsonProperty("user") User user) {
        String tieBreak() {
            return user == null ? "" : user.toString();
        }

        boolean supersededBy(Entry other) {
            return other.version > version || (other.version == version && other.tieBreak().compareTo(tieBreak()) > 0);
        }
    }

    public Users {
        entries = entries == null ? Map.of() : Map.copyOf(new TreeMap<>(entries));
    }

    public Optional<User> get(String name) {
        Entry e = entries.get(name);
        return e == null ? Optional.empty() : Optional.ofNullable(e.user());
    }

    /** The users that exist, by name. */
    @JsonIgnore
    public Map<String, User> users() {
        TreeMap<String, User> live = new TreeMap<>();
        entries.forEach((name, e) -> {
            if (e.user() != null) {
                live.put(name, e.user());
            }
        });
        return live;
    }

    /** Whether no user was ever made or removed. */
    @JsonIgnore
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** With {@code user} added or replaced, as a new version of that user. */
    public Users with(User user) {
        return put(user.name(), user);
    }

    /** With user {@code name} removed, as a new version of it (a tombstone). */
    public Users without(String name) {
        return put(name, null);
    }

    private Users put(String name, User user) {
        TreeMap<String, Entry> next = new TreeMap<>(entries);
        Entry before = entries.get(name);
        next.put(name, new Entry(before == null ? 1 : before.version() + 1, user));
        return new Users(next);
    }

    /**
     * A short fingerprint of the entries: equal documents have equal digests, so gossip can say whether
     * two nodes' users differ without carrying them (or their password hashes).
     */
    public String digest() {
        try {
            byte[] json = DIGEST_JSON.writeValueAsBytes(this);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 16);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest the users", e);
        }
    }

    private static final ObjectMapper DIGEST_JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** Each user's newest entry from either document. */
    public Users merge(Users other) {
        TreeMap<String, Entry> merged = new TreeMap<>(entries);
        other.entries.forEach((name, theirs) -> merged.merge(name, theirs, (mine, t) -> mine.supersededBy(t) ? t : mine));
        return new Users(merged);
    }
}
