package io.ringkv.ring;

import java.util.Objects;

/** A staged change of ring membership, applied only when a {@link Plan} of it is committed. */
public record Change(Kind kind, String node) {

    public enum Kind { JOIN, LEAVE }

    public Change {
        Objects.requireNonNull(kind, "kind");
        if (node == null || node.isEmpty()) {
            throw new IllegalArgumentException("a change needs a node id");
        }
    }

    public static Change join(String node) {
        return new Change(Kind.JOIN, node);
    }

    public static Change leave(String node) {
        return new Change(Kind.LEAVE, node);
    }
}
