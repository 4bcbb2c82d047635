package io.ringkv.checker.nemesis;

/**
 * Told what the {@link NemesisRunner} does, from its thread: the harness records the events in the
 * history and the nemesis log.
 */
public interface NemesisListener {

    /** A fault is now in effect. */
    void started(String fault);

    /** A fault was healed. */
    void healed(String fault);

    /** A fault could not be injected or healed. */
    void failed(String what, RuntimeException cause);
}
