package io.ringkv.checker.workload;

import io.ringkv.checker.history.EventType;
import io.ringkv.client.CausalContext;
import io.ringkv.client.GetResult;
import io.ringkv.client.ReadOptions;
import io.ringkv.client.Sibling;
import io.ringkv.client.WriteOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Multi-value registers, checked for linearizability per key ({@code MultiValueRegisterModel}):
 * clients read (recording every sibling returned), write unique values with the context of their
 * last read of the key (recording that read's values as {@code seen}), and now and then delete with
 * that context.
 *
 * <p>Keys are {@code reg-<generation>-<slot>}: a thread addresses one of {@code slots} keys of its
 * current generation and moves to the next generation every {@code generationLength} of its
 * register operations. Threads go at the same pace, so each key sees about {@code opsPerKey}
 * operations from all threads at once and then retires, which keeps every key's linearizability
 * search small however long the run (Jepsen's independent keys).
 */
public final class RegisterWorkload implements Workload {

    static final double READ = 0.5;
    static final double WRITE = 0.45;

    private final int slots;
    private final long generationLength;
    /** Every register key starts with this. */
    public static final String KEY_PREFIX = "reg-";

    private final Keys keys = new Keys(KEY_PREFIX);

    /**
     * @param slots     keys in use at a time
     * @param opsPerKey about how many operations each key gets before it retires
     * @param threads   client threads
     */
    public RegisterWorkload(int slots, int opsPerKey, int threads) {
        if (slots < 1 || opsPerKey < 1 || threads < 1) {
            throw new IllegalArgumentException("slots, opsPerKey and threads must be positive");
        }
        this.slots = slots;
        this.generationLength = Math.max(1, (long) opsPerKey * slots / threads);
    }

    @Override
    public String name() {
        return "register";
    }

    @Override
    public void perform(WorkerContext ctx) {
        long i = ctx.next("register");
        String key = keys.touch(KEY_PREFIX + (i / generationLength) + "-" + ctx.random().nextInt(slots));
        double dice = ctx.random().nextDouble();
        if (dice < READ) {
            read(ctx, key);
        } else if (dice < READ + WRITE) {
            write(ctx, key, ctx.worker() + "-" + i);
        } else {
            delete(ctx, key);
        }
    }

    private static void read(WorkerContext ctx, String key) {
        ctx.invoke("read", key, null);
        try {
            GetResult g = ctx.client().get(key, ReadOptions.defaults().withTimeout(ctx.timeout()));
            List<String> values = values(g);
            ctx.remember(key, new WorkerContext.LastRead(values, g.context()));
            ctx.complete(EventType.OK, "read", key, Map.of("values", values));
        } catch (RuntimeException e) {
            ctx.completeExceptionally("read", key, e);
        }
    }

    private static void write(WorkerContext ctx, String key, String value) {
        WorkerContext.LastRead last = ctx.lastRead(key);
        List<String> seen = last == null ? List.of() : last.values();
        CausalContext context = last == null ? CausalContext.none() : last.context();
        ctx.invoke("write", key, Map.of("value", value, "seen", seen));
        try {
            ctx.client().put(key, value, context, WriteOptions.defaults().withTimeout(ctx.timeout()));
            ctx.complete(EventType.OK, "write", key, null);
        } catch (RuntimeException e) {
            ctx.completeExceptionally("write", key, e);
        }
    }

    private static void delete(WorkerContext ctx, String key) {
        WorkerContext.LastRead last = ctx.lastRead(key);
        List<String> seen = last == null ? List.of() : last.values();
        CausalContext context = last == null ? CausalContext.none() : last.context();
        ctx.invoke("delete", key, Map.of("seen", seen));
        try {
            ctx.client().delete(key, context, WriteOptions.defaults().withTimeout(ctx.timeout()));
            ctx.complete(EventType.OK, "delete", key, null);
        } catch (RuntimeException e) {
            ctx.completeExceptionally("delete", key, e);
        }
    }

    /** A final read is an ordinary read, with every replica: the model checks it like any other. */
    @Override
    public EventType finalRead(WorkerContext ctx, String key, ReadOptions options) {
        ctx.invoke("read", key, null);
        try {
            GetResult g = ctx.client().get(key, options);
            ctx.complete(EventType.OK, "read", key, Map.of("values", values(g)));
            return EventType.OK;
        } catch (RuntimeException e) {
            ctx.completeExceptionally("read", key, e);
            return Outcomes.classify(e);
        }
    }

    private static List<String> values(GetResult g) {
        List<String> values = new ArrayList<>();
        for (Sibling s : g.siblings()) {
            values.add(s.valueAsString());
        }
        values.sort(null);
        return values;
    }

    @Override
    public List<String> keys() {
        return keys.list();
    }

    @Override
    public boolean owns(String key) {
        return keys.owns(key);
    }
}
