package io.ringkv.checker.linearizability;

import io.ringkv.checker.history.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * A nondeterministic register for tests: {@code pick} with a list of candidates sets the register
 * to any one of them; {@code write} sets it; {@code read} returns it. Starts at 0.
 */
final class PickModel implements Model<Long, PickModel.Input, Long> {

    record Input(String f, List<Long> values) {
    }

    @Override
    public Long initialState() {
        return 0L;
    }

    @Override
    public Input input(Operation op) {
        List<Long> values = new ArrayList<>();
        if (op.input() instanceof List<?> list) {
            list.forEach(v -> values.add((Long) v));
        } else if (op.input() != null) {
            values.add((Long) op.input());
        }
        return new Input(op.f(), values);
    }

    @Override
    public Long output(Operation op) {
        return op.output() == null ? -1L : (Long) op.output();
    }

    @Override
    public List<Long> step(Long state, Input in, Long out) {
        return switch (in.f()) {
            case "pick" -> in.values();
            case "write" -> List.of(in.values().get(0));
            case "read" -> out == null || out.equals(state) ? List.of(state) : List.of();
            default -> throw new IllegalArgumentException(in.f());
        };
    }
}
