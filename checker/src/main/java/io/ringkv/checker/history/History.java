package io.ringkv.checker.history;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable history: the events of a run in the order they were recorded, and the client
 * operations they form.
 *
 * <p>Pairing rules, Jepsen's: an invocation is completed by the next completion event of the same
 * process. An invocation never completed becomes {@link Outcome#INFO}. A completion with no open
 * invocation (a harness's final reads, for example) becomes an operation invoked when it completed.
 * A process that invokes again while its previous operation is open (which Jepsen's clients never
 * do) is tolerated: the previous operation is closed as INFO, the weakest reading of it.
 */
public final class History {

    private static final Logger LOG = LoggerFactory.getLogger(History.class);

    private final List<Event> events;
    private final List<Operation> operations;

    private History(List<Event> events, List<Operation> operations) {
        this.events = Collections.unmodifiableList(events);
        this.operations = Collections.unmodifiableList(operations);
    }

    /**
     * A history of events in recorded order.
     *
     * @throws IllegalArgumentException if a completion's function or key differs from its
     *                                  invocation's, or it completes before it was invoked
     */
    public static History of(List<Event> events) {
        try {
            return of(events, null);
        } catch (HistoryFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** As {@link #of(List)}, naming the source line (lines[i] for events[i]) in errors. */
    static History of(List<Event> events, int[] lines) throws HistoryFormatException {
        List<Event> copy = List.copyOf(events);
        return new History(copy, pair(copy, lines));
    }

    /** Reads a JSON Lines history, the product's own format. */
    public static History readJsonl(Path path) throws IOException {
        return JsonlHistory.read(path);
    }

    /** Reads a history in any supported format. */
    public static History read(Path path, HistoryFormat format) throws IOException {
        return format.read(path);
    }

    /** Writes this history as JSON Lines, one event per line. */
    public void writeJsonl(Path path) throws IOException {
        try (HistoryWriter writer = HistoryWriter.open(path)) {
            for (Event e : events) {
                writer.write(e);
            }
        }
    }

    /** Every event, in recorded order. */
    public List<Event> events() {
        return events;
    }

    /** The client operations, in invocation order; {@code operations().get(i).id() == i}. */
    public List<Operation> operations() {
        return operations;
    }

    /** The latest finite time of any event, or 0 for an empty history. */
    public long endTime() {
        long end = 0;
        for (Event e : events) {
            end = Math.max(end, e.time());
        }
        return end;
    }

    /**
     * The periods during which faults were active. A stop closes the open window with the same
     * fault description, or else the oldest open one; a fault never stopped lasts until
     * {@link #endTime()}.
     */
    public List<FaultWindow> faultWindows() {
        List<FaultWindow> windows = new ArrayList<>();
        List<Event> open = new ArrayList<>();
        for (Event e : events) {
            if (e.type() != EventType.NEMESIS) {
                continue;
            }
            if (!"stop".equals(e.f())) {
                open.add(e);
            } else if (!open.isEmpty()) {
                Event start = open.stream().filter(s -> s.value() != null && s.value().equals(e.value()))
                        .findFirst().orElse(open.get(0));
                open.remove(start);
                windows.add(new FaultWindow(describe(start), start.time(), e.time()));
            }
        }
        long end = endTime();
        for (Event start : open) {
            windows.add(new FaultWindow(describe(start), start.time(), end));
        }
        windows.sort((a, b) -> Long.compare(a.start(), b.start()));
        return windows;
    }

    private static String describe(Event nemesis) {
        return nemesis.value() instanceof String ? (String) nemesis.value() : JsonValues.toJson(nemesis.value());
    }

    private static List<Operation> pair(List<Event> events, int[] lines) throws HistoryFormatException {
        // Builders in invocation order; ids are assigned at the end so that they follow invocations.
        List<OpBuilder> ops = new ArrayList<>();
        Map<Integer, OpBuilder> open = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            int line = lines == null ? 0 : lines[i];
            if (e.type() == EventType.INVOKE) {
                OpBuilder op = new OpBuilder(e, line);
                OpBuilder previous = open.put(e.process(), op);
                if (previous != null) {
                    // previous stays INFO with no completion: the weakest reading of it.
                    LOG.warn("{}process {} invoked {} while its {} was still open; treating that one as info",
                            line > 0 ? "line " + line + ": " : "", e.process(), e.f(), previous.invoke.f());
                }
                ops.add(op);
            } else if (e.type().isCompletion()) {
                OpBuilder op = open.remove(e.process());
                if (op == null) {
                    op = new OpBuilder(Event.invoke(e.process(), e.f(), e.key(), null, e.time()), line);
                    ops.add(op);
                } else if (!op.invoke.f().equals(e.f())) {
                    throw new HistoryFormatException(line, "process " + e.process() + " completes " + e.f()
                            + " but invoked " + op.invoke.f());
                } else if (e.key() != null && op.invoke.key() != null && !e.key().equals(op.invoke.key())) {
                    throw new HistoryFormatException(line, "process " + e.process() + " completes " + e.f()
                            + " of key " + e.key() + " but invoked it on key " + op.invoke.key());
                } else if (e.time() < op.invoke.time()) {
                    throw new HistoryFormatException(line, "process " + e.process() + " completes " + e.f()
                            + " at " + e.time() + ", before its invocation at " + op.invoke.time());
                }
                op.complete(e);
            }
        }
        List<Operation> result = new ArrayList<>(ops.size());
        for (OpBuilder op : ops) {
            result.add(op.build(result.size()));
        }
        return result;
    }

    /** An operation while its completion is being looked for. */
    private static final class OpBuilder {
        final Event invoke;
        final int line;
        Outcome outcome = Outcome.INFO;
        Object output;
        long completeTime = Long.MAX_VALUE;

        OpBuilder(Event invoke, int line) {
            this.invoke = invoke;
            this.line = line;
        }

        void complete(Event completion) {
            outcome = switch (completion.type()) {
                case OK -> Outcome.OK;
                case FAIL -> Outcome.FAIL;
                default -> Outcome.INFO;
            };
            output = completion.value();
            completeTime = completion.time();
        }

        Operation build(int id) {
            return new Operation(id, invoke.process(), invoke.f(), invoke.key(), invoke.value(), output, outcome,
                    invoke.time(), completeTime, line);
        }
    }

    @Override
    public String toString() {
        return "History[" + events.size() + " events, " + operations.size() + " operations]";
    }
}
