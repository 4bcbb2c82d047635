package io.ringkv.client;

import java.util.List;
import java.util.Optional;

/**
 * What a read returned: no value, one value, or several concurrent siblings, and in every case the
 * causal context to send with the next write of the key (a deleted key still has one).
 */
public record GetResult(List<Sibling> siblings, CausalContext context) {

    public GetResult {
        siblings = List.copyOf(siblings);
    }

    /** True when the key has at least one value (it is neither absent nor deleted). */
    public boolean found() {
        return !siblings.isEmpty();
    }

    /** True when concurrent writes left more than one value. */
    public boolean hasSiblings() {
        return siblings.size() > 1;
    }

    /**
     * The single value, if there is exactly one.
     *
     * @throws IllegalStateException when there are siblings: use {@link #resolve} or {@link #siblings()}
     */
    public Optional<Sibling> value() {
        if (hasSiblings()) {
            throw new IllegalStateException(siblings.size() + " siblings; resolve them first");
        }
        return siblings.stream().findFirst();
    }

    /** The single value, or what {@code resolver} makes of the siblings; empty when not found. */
    public Optional<Sibling> resolve(SiblingResolver resolver) {
        return hasSiblings() ? Optional.of(resolver.resolve(siblings)) : value();
    }
}
