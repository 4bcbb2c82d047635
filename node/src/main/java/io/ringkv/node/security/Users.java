package io.ringkv.node.security;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster's users, spread by (signed) gossip so any node can authenticate any user. A change makes
 * a new version; of two different versions-equal documents (changed at once on two nodes), the one
 * whose {@link #tieBreak()} is greater wins everywhere, as with the settings.
 */
public record Users(@JsonProperty("version") long version, @JsonProperty("users") Map<String, User> users) {

    public static final Users NONE = new Users(0, Map.of());

    public Users {
        users = users == null ? Map.of() : Map.copyOf(new TreeMap<>(users));
    }

    public Optional<User> get(String name) {
        return Optional.ofNullable(users.get(name));
    }

    /** A new version with {@code user} added or replaced. */
    public Users with(User user) {
        TreeMap<String, User> next = new TreeMap<>(users);
        next.put(user.name(), user);
        return new Users(version + 1, next);
    }

    /** A new version without user {@code name}. */
    public Users without(String name) {
        TreeMap<String, User> next = new TreeMap<>(users);
        next.remove(name);
        return new Users(version + 1, next);
    }

    /** True if {@code other} should replace these users. */
    public boolean supersededBy(Users other) {
        return other.version > version || (other.version == version && other.tieBreak().compareTo(tieBreak()) > 0);
    }

    String tieBreak() {
        return new TreeMap<>(users).toString();
    }
}
