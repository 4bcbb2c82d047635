package io.ringkv.node.security;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a user may do: read keys, write (and delete) keys, or administer the cluster (and everything else). */
public enum Role {
    READ, WRITE, ADMIN;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the roles there are */
    @JsonCreator
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.wire().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "': read, write or admin");
    }
}
