package io.ringkv.checker.nemesis;

import java.util.Random;

/**
 * Injects one kind of real fault into a running cluster, as Jepsen's nemeses do. Which nodes a
 * fault hits is chosen with the {@code random} it is given, so that a seeded schedule injects the
 * same faults every time.
 */
public interface Nemesis {

    /** The kind of fault this nemesis injects. */
    NemesisKind kind();

    /**
     * Injects a fault and returns once it is in effect.
     *
     * @throws NemesisException when the fault could not be injected (nothing is left half-done)
     */
    Fault inject(Random random);
}
