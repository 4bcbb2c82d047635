package io.ringkv.checker.model;

import io.ringkv.checker.history.JsonValues;
import io.ringkv.checker.history.Operation;
import io.ringkv.checker.linearizability.Model;
import java.util.List;

/**
 * A map from string keys to string values with get, put and append (Porcupine's key-value model),
 * partitioned by key: each key is checked alone, its state the key's value ({@code ""} at first).
 *
 * <p>History operations: {@code get} (ok value: the string read; null reads as {@code ""}),
 * {@code put} and {@code append} with a string value.
 */
public final class KvModel implements Model<KvModel.Text, KvModel.Input, String> {

    /** What an operation does. */
    public enum Kind { GET, PUT, APPEND }

    /** A decoded operation; {@code value} is null for GET. */
    public record Input(Kind kind, String key, String value) {
    }

    /**
     * A key's value with its hash. Appends make long strings and the checker hashes every state it
     * meets, so the hash is carried along (String's polynomial hash extends in the length of the
     * appended part) instead of recomputed over the whole string.
     */
    public static final class Text {
        static final Text EMPTY = new Text("", 0);

        private final String value;
        private final int hash;

        private Text(String value, int hash) {
            this.value = value;
            this.hash = hash;
        }

        static Text of(String value) {
            return new Text(value, value.hashCode());
        }

        Text append(String suffix) {
            int h = hash;
            for (int i = 0; i < suffix.length(); i++) {
                h = 31 * h + suffix.charAt(i);
            }
            return new Text(value.concat(suffix), h);
        }

        boolean is(String s) {
            return hash == s.hashCode() && value.equals(s);
        }

        public String value() {
            return value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Text && hash == ((Text) o).hash && value.equals(((Text) o).value);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "'" + value + "'";
        }
    }

    @Override
    public Text initialState() {
        return Text.EMPTY;
    }

    @Override
    public Input input(Operation op) {
        if (op.key() == null) {
            throw new IllegalArgumentException("the kv model needs a key");
        }
        return switch (op.f()) {
            case "get" -> new Input(Kind.GET, op.key(), null);
            case "put" -> new Input(Kind.PUT, op.key(), string(op.input(), "put value"));
            case "append" -> new Input(Kind.APPEND, op.key(), string(op.input(), "append value"));
            default -> throw new IllegalArgumentException("the kv model knows get, put and append, not " + op.f());
        };
    }

    /** The string a get read; writes have no meaningful output. */
    @Override
    public String output(Operation op) {
        if (!"get".equals(op.f()) || op.output() == null) {
            return "";
        }
        return string(op.output(), "get result");
    }

    @Override
    public List<Text> step(Text state, Input in, String out) {
        return switch (in.kind()) {
            case GET -> out == null || state.is(out) ? List.of(state) : List.of();
            case PUT -> List.of(Text.of(in.value()));
            case APPEND -> List.of(state.append(in.value()));
        };
    }

    @Override
    public String partition(Input input) {
        return input.key();
    }

    @Override
    public String name() {
        return "kv";
    }

    @Override
    public String describeOperation(Input in, String out) {
        return switch (in.kind()) {
            case GET -> "get('" + in.key() + "') -> " + (out == null ? "?" : "'" + out + "'");
            case PUT -> "put('" + in.key() + "', '" + in.value() + "')";
            case APPEND -> "append('" + in.key() + "', '" + in.value() + "')";
        };
    }

    private static String string(Object value, String what) {
        if (!(value instanceof String)) {
            throw new IllegalArgumentException(what + " must be a string, got " + JsonValues.toJson(value));
        }
        return (String) value;
    }
}
