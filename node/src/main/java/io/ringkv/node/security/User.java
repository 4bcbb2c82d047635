package io.ringkv.node.security;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A client user: an Argon2id hash of its password (never the password), its roles, and the key prefix
 * its reads and writes are limited to ({@code ""}: every key), as Riak scopes permissions to buckets.
 */
public record User(@JsonProperty("name") String name,
                   @JsonProperty("password_hash") String passwordHash,
                   @JsonProperty("roles") Set<Role> roles,
                   @JsonProperty("key_prefix") String keyPrefix) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Whether {@code name} can name a user. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public User {
        if (!validName(name)) {
            throw new IllegalArgumentException("a user name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        // In the enum's order, so that equal users print, hash and digest alike on every node.
        roles = Collections.unmodifiableSet(roles == null || roles.isEmpty() ? EnumSet.noneOf(Role.class)
                : EnumSet.copyOf(roles));
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
    }

    /** Names the user and its roles, never its password hash (a record's toString would print it). */
    @Override
    public String toString() {
        return "User[" + name + ", roles=" + roles + ", key_prefix=" + keyPrefix + ", hash="
                + (passwordHash == null ? "none" : Integer.toHexString(passwordHash.hashCode())) + "]";
    }

    /** Whether this user may do what {@code role} allows to {@code key} (null: not about one key). */
    public boolean may(Role role, String key) {
        boolean granted = roles.contains(role) || roles.contains(Role.ADMIN);
        return granted && (key == null || key.startsWith(keyPrefix) || roles.contains(Role.ADMIN));
    }
}
