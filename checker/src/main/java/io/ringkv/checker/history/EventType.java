package io.ringkv.checker.history;

import java.util.Locale;

/** The {@code type} field of a history line. */
public enum EventType {
    /** A client started an operation. */
    INVOKE,
    /** The operation completed and took effect; the event's value is its output. */
    OK,
    /** The operation certainly did not take effect. */
    FAIL,
    /** The outcome is unknown (timeout, crash): the operation may or may not have taken effect. */
    INFO,
    /** A fault started or stopped; not a client operation. */
    NEMESIS;

    /** The spelling used in JSON Lines histories. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #jsonName()}; returns null for an unknown name so that readers can say where. */
    public static EventType fromJsonName(String name) {
        for (EventType t : values()) {
            if (t.jsonName().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Whether this type completes an invocation. */
    public boolean isCompletion() {
        return this == OK || this == FAIL || this == INFO;
    }
}
