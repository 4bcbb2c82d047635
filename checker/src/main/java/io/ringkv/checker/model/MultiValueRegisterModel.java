package io.ringkv.checker.model;

import io.ringkv.checker.history.JsonValues;
import io.ringkv.checker.history.Operation;
import io.ringkv.checker.linearizability.Model;
import java.util.List;

/**
 * The multi-value register of this product, one per key: the sequential reading of a Dynamo
 * register with siblings and causal contexts.
 *
 * <p>A write carries the context it read; its effect is "remove the values that context saw, add
 * the new value", so a write whose context saw every sibling replaces them all, and a write whose
 * context missed one leaves it as a sibling. A delete removes the values its context saw. A read
 * returns the current set of values.
 *
 * <p>History operations:
 * <ul>
 *   <li>{@code write}, value {@code {"value": "3-17", "seen": ["1-4"]}} (values unique per write);</li>
 *   <li>{@code delete}, value {@code {"seen": [...]}};</li>
 *   <li>{@code read}, ok value {@code {"values": [...]}} in any order, empty when not found.</li>
 * </ul>
 */
public final class MultiValueRegisterModel implements Model<ValueSet, MultiValueRegisterModel.Input, ValueSet> {

    /** What an operation does. */
    public enum Kind { READ, WRITE, DELETE }

    /**
     * A decoded operation.
     *
     * @param value for WRITE, the value written; else null
     * @param seen  for WRITE and DELETE, the values the context covered; else empty
     */
    public record Input(Kind kind, String key, String value, ValueSet seen) {
    }

    @Override
    public ValueSet initialState() {
        return ValueSet.EMPTY;
    }

    @Override
    public Input input(Operation op) {
        return switch (op.f()) {
            case "read" -> new Input(Kind.READ, op.key(), null, ValueSet.EMPTY);
            case "write" -> {
                Object value = JsonValues.field(op.input(), "value", "write value");
                if (!(value instanceof String)) {
                    throw new IllegalArgumentException("write value.value must be a string, got "
                            + JsonValues.toJson(value));
                }
                yield new Input(Kind.WRITE, op.key(), (String) value, seen(op.input()));
            }
            case "delete" -> new Input(Kind.DELETE, op.key(), null, seen(op.input()));
            default -> throw new IllegalArgumentException("the mvr model knows read, write and delete, not " + op.f());
        };
    }

    /** For a read, the values read; writes and deletes have no meaningful output. */
    @Override
    public ValueSet output(Operation op) {
        if (!"read".equals(op.f()) || op.output() == null) {
            return ValueSet.EMPTY;
        }
        Object values = op.output() instanceof List<?> ? op.output()
                : JsonValues.field(op.output(), "values", "read result");
        return values == null ? ValueSet.EMPTY : ValueSet.of(JsonValues.asStringList(values, "read result values"));
    }

    @Override
    public List<ValueSet> step(ValueSet state, Input in, ValueSet out) {
        return switch (in.kind()) {
            case READ -> out == null || out.equals(state) ? List.of(state) : List.of();
            case WRITE -> List.of(state.minus(in.seen()).plus(in.value()));
            case DELETE -> List.of(state.minus(in.seen()));
        };
    }

    @Override
    public String partition(Input input) {
        return input.key() == null ? "" : input.key();
    }

    @Override
    public String name() {
        return "mvr";
    }

    @Override
    public String describeOperation(Input in, ValueSet out) {
        return switch (in.kind()) {
            case READ -> "read() -> " + (out == null ? "?" : out);
            case WRITE -> "write(" + in.value() + ", seen " + in.seen() + ")";
            case DELETE -> "delete(seen " + in.seen() + ")";
        };
    }

    private static ValueSet seen(Object input) {
        Object seen = JsonValues.field(input, "seen", "context");
        return seen == null ? ValueSet.EMPTY : ValueSet.of(JsonValues.asStringList(seen, "seen"));
    }
}
