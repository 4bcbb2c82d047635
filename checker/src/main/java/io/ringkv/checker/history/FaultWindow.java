package io.ringkv.checker.history;

/**
 * A period during which a fault was active, from its nemesis start event to its stop event.
 *
 * @param fault the fault's description, for example {@code "kill n2"}
 * @param start the time of the start event
 * @param end   the time of the stop event, or the end of the history when it never stopped
 */
public record FaultWindow(String fault, long start, long end) {
}
