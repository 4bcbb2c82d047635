package io.ringkv.client;

import java.util.Objects;

/**
 * The opaque causal context a read returns. Send it back with the next write or delete of the same key
 * to say which values that write supersedes; a write without one is concurrent with everything stored
 * and becomes a new sibling.
 */
public final class CausalContext {

    private static final CausalContext NONE = new CausalContext("");

    private final String token;

    private CausalContext(String token) {
        this.token = token;
    }

    /** The context of a client that has read nothing: writes made with it add a sibling. */
    public static CausalContext none() {
        return NONE;
    }

    /** A context as received in an {@code X-Context} header; null or empty means {@link #none()}. */
    public static CausalContext of(String token) {
        return token == null || token.isEmpty() ? NONE : new CausalContext(token);
    }

    /** The token to send in an {@code X-Context} header; empty for {@link #none()}. */
    public String token() {
        return token;
    }

    public boolean isNone() {
        return token.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CausalContext c && c.token.equals(token);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(token);
    }

    @Override
    public String toString() {
        return isNone() ? "CausalContext.none" : "CausalContext[" + token + "]";
    }
}
