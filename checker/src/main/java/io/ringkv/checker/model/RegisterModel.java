package io.ringkv.checker.model;

import io.ringkv.checker.history.JsonValues;
import io.ringkv.checker.history.Operation;
import io.ringkv.checker.linearizability.Model;
import java.util.List;

/**
 * A read/write/compare-and-set register per key (Jepsen's {@code cas-register}); the model of
 * Jepsen's etcd histories.
 *
 * <p>History operations: {@code read} (ok value: the value read, null when the register is empty);
 * {@code write} with value {@code v}; {@code cas} with value {@code [expected, new]} (ok value:
 * {@code false} when the compare failed, anything else when it swapped). Values are JSON scalars.
 * Each key is its own register and its own partition; operations without a key share one.
 */
public final class RegisterModel implements Model<Object, RegisterModel.Input, Object> {

    /** The state of a register never written; reads of it return null in the history. */
    public enum Nil {
        NIL;

        @Override
        public String toString() {
            return "nil";
        }
    }

    /** What an operation does. */
    public enum Kind { READ, WRITE, CAS }

    /**
     * A decoded operation.
     *
     * @param expected for CAS, the value compared against; else null
     * @param value    for WRITE and CAS, the value written; else null
     */
    public record Input(Kind kind, String key, Object expected, Object value) {
    }

    @Override
    public Object initialState() {
        return Nil.NIL;
    }

    @Override
    public Input input(Operation op) {
        return switch (op.f()) {
            case "read" -> new Input(Kind.READ, op.key(), null, null);
            case "write" -> new Input(Kind.WRITE, op.key(), null, scalar(op.input(), "write value"));
            case "cas" -> {
                List<?> pair = op.input() instanceof List<?> ? (List<?>) op.input() : List.of();
                if (pair.size() != 2) {
                    throw new IllegalArgumentException("cas value must be [expected, new], got "
                            + JsonValues.toJson(op.input()));
                }
                yield new Input(Kind.CAS, op.key(), scalar(pair.get(0), "cas expected value"),
                        scalar(pair.get(1), "cas new value"));
            }
            default -> throw new IllegalArgumentException("the register model knows read, write and cas, not "
                    + op.f());
        };
    }

    /** For READ the value read ({@link Nil#NIL} for null); for CAS whether it swapped; TRUE for WRITE. */
    @Override
    public Object output(Operation op) {
        return switch (op.f()) {
            case "read" -> op.output() == null ? Nil.NIL : scalar(op.output(), "read value");
            case "cas" -> !Boolean.FALSE.equals(op.output());
            default -> Boolean.TRUE;
        };
    }

    @Override
    public List<Object> step(Object state, Input in, Object out) {
        return switch (in.kind()) {
            case READ -> out == null || out.equals(state) ? List.of(state) : List.of();
            case WRITE -> List.of(in.value());
            case CAS -> {
                boolean matches = in.expected().equals(state);
                if (out == null) {
                    yield List.of(matches ? in.value() : state);
                }
                boolean swapped = (Boolean) out;
                yield swapped != matches ? List.of() : List.of(matches ? in.value() : state);
            }
        };
    }

    @Override
    public String partition(Input input) {
        return input.key() == null ? "" : input.key();
    }

    @Override
    public String name() {
        return "register";
    }

    @Override
    public String describeOperation(Input in, Object out) {
        String result = out == null ? " -> ?" : "";
        return switch (in.kind()) {
            case READ -> "read() -> " + (out == null ? "?" : out);
            case WRITE -> "write(" + in.value() + ")" + result;
            case CAS -> "cas(" + in.expected() + ", " + in.value() + ")"
                    + (out == null ? result : Boolean.TRUE.equals(out) ? " -> ok" : " -> fail");
        };
    }

    private static Object scalar(Object value, String what) {
        if (value == null || value instanceof List<?> || value instanceof java.util.Map<?, ?>) {
            throw new IllegalArgumentException(what + " must be a JSON scalar, got " + JsonValues.toJson(value));
        }
        return value;
    }
}
