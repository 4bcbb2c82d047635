package io.ringkv.checker.workload;

import io.ringkv.checker.history.EventType;
import io.ringkv.client.ReadOptions;
import java.util.ArrayList;
import java.util.List;

/** Registers and sets at once: each operation is one of either, with even odds. */
public final class MixedWorkload implements Workload {

    private final RegisterWorkload register;
    private final SetWorkload set;

    public MixedWorkload(RegisterWorkload register, SetWorkload set) {
        this.register = register;
        this.set = set;
    }

    @Override
    public String name() {
        return "mixed";
    }

    @Override
    public void perform(WorkerContext ctx) {
        (ctx.random().nextBoolean() ? register : set).perform(ctx);
    }

    @Override
    public List<String> keys() {
        List<String> keys = new ArrayList<>(register.keys());
        keys.addAll(set.keys());
        return keys;
    }

    @Override
    public boolean owns(String key) {
        return register.owns(key) || set.owns(key);
    }

    @Override
    public EventType finalRead(WorkerContext ctx, String key, ReadOptions options) {
        return register.owns(key) ? register.finalRead(ctx, key, options) : set.finalRead(ctx, key, options);
    }
}
