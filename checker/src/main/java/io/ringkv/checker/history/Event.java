package io.ringkv.checker.history;

import java.util.Objects;

/**
 * One line of a history: an invocation, a completion, or a fault event.
 *
 * <p>Values are canonical JSON values (see {@link JsonValues#canonical(Object)}), so a history
 * built in memory equals the same history read back from disk.
 *
 * @param type    what happened
 * @param process the client (process) id; -1 for nemesis events
 * @param f       the function: {@code read}, {@code write}, {@code add}, ... ; {@code start} or
 *                {@code stop} for nemesis events
 * @param key     the key the operation addresses, or null (single-register histories)
 * @param value   the argument (invoke), the output (ok), anything (fail, info), or the fault
 *                description (nemesis; JSON field {@code fault})
 * @param time    nanoseconds since the run started, from a monotonic clock; public formats use
 *                the event's position instead
 */
public record Event(EventType type, int process, String f, String key, Object value, long time) {

    public Event {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(f, "f");
        value = JsonValues.canonical(value);
    }

    public static Event invoke(int process, String f, String key, Object value, long time) {
        return new Event(EventType.INVOKE, process, f, key, value, time);
    }

    public static Event ok(int process, String f, String key, Object value, long time) {
        return new Event(EventType.OK, process, f, key, value, time);
    }

    public static Event fail(int process, String f, String key, Object value, long time) {
        return new Event(EventType.FAIL, process, f, key, value, time);
    }

    public static Event info(int process, String f, String key, Object value, long time) {
        return new Event(EventType.INFO, process, f, key, value, time);
    }

    /** A fault starts ({@code f = "start"}) or stops ({@code f = "stop"}). */
    public static Event nemesis(String f, String fault, long time) {
        return new Event(EventType.NEMESIS, -1, f, null, fault, time);
    }
}
