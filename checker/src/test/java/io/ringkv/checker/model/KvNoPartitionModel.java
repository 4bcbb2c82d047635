package io.ringkv.checker.model;

import io.ringkv.checker.history.Operation;
import io.ringkv.checker.linearizability.Model;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link KvModel} without partitioning: one state holds every key (Porcupine's
 * {@code kvNoPartitionModel}). Slower, and it must give the same verdicts, which tests that
 * partitioning by key is sound.
 */
public final class KvNoPartitionModel implements Model<Map<String, String>, KvModel.Input, String> {

    private final KvModel kv = new KvModel();  // for decoding

    @Override
    public Map<String, String> initialState() {
        return Map.of();
    }

    @Override
    public KvModel.Input input(Operation op) {
        return kv.input(op);
    }

    @Override
    public String output(Operation op) {
        return kv.output(op);
    }

    @Override
    public List<Map<String, String>> step(Map<String, String> state, KvModel.Input in, String out) {
        String current = state.getOrDefault(in.key(), "");
        String next = switch (in.kind()) {
            case GET -> out == null || out.equals(current) ? current : null;
            case PUT -> in.value();
            case APPEND -> current + in.value();
        };
        if (next == null) {
            return List.of();
        }
        if (next.equals(current)) {
            return List.of(state);
        }
        Map<String, String> copy = new HashMap<>(state);
        copy.put(in.key(), next);
        return List.of(Map.copyOf(copy));
    }

    @Override
    public String name() {
        return "kv-unpartitioned";
    }
}
