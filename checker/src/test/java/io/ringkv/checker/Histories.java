package io.ringkv.checker;

import io.ringkv.checker.history.Event;
import io.ringkv.checker.history.History;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Builds hand-made histories operation by operation; events are put in time order at the end. */
public final class Histories {

    private final List<Event> events = new ArrayList<>();

    public static Histories builder() {
        return new Histories();
    }

    /** An operation that completed OK at {@code end} with output {@code out}. */
    public Histories ok(int process, String f, String key, Object in, Object out, long start, long end) {
        events.add(Event.invoke(process, f, key, in, start));
        events.add(Event.ok(process, f, key, out, end));
        return this;
    }

    /** An operation that FAILed (certainly did not happen). */
    public Histories fail(int process, String f, String key, Object in, long start, long end) {
        events.add(Event.invoke(process, f, key, in, start));
        events.add(Event.fail(process, f, key, null, end));
        return this;
    }

    /** An operation whose client gave up at {@code end}: outcome unknown. */
    public Histories info(int process, String f, String key, Object in, long start, long end) {
        events.add(Event.invoke(process, f, key, in, start));
        events.add(Event.info(process, f, key, null, end));
        return this;
    }

    /** An operation never completed in the history. */
    public Histories open(int process, String f, String key, Object in, long start) {
        events.add(Event.invoke(process, f, key, in, start));
        return this;
    }

    public Histories nemesis(String f, String fault, long time) {
        events.add(Event.nemesis(f, fault, time));
        return this;
    }

    public History build() {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Event::time)); // stable: an instant's events keep their order
        return History.of(sorted);
    }
}
