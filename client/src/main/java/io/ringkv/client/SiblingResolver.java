package io.ringkv.client;

import java.util.List;

/**
 * Application logic that turns concurrent siblings into the one value the application wants, for
 * example the union of two shopping carts. Called only when there are at least two siblings.
 */
@FunctionalInterface
public interface SiblingResolver {
    Sibling resolve(List<Sibling> siblings);
}
