package io.ringkv.checker.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.checker.history.EventType;
import io.ringkv.client.GetResult;
import io.ringkv.client.ReadOptions;
import io.ringkv.client.Sibling;
import io.ringkv.client.WriteOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Sets, checked for lost writes ({@code LostWritesChecker}): each operation adds a unique element to
 * one of {@code slots} keys by read, merge, write back: the value is a JSON array of strings,
 * siblings are merged by union, and the write carries the read's context so it supersedes exactly
 * what was merged. With siblings no acknowledged add can vanish; with last-writer-wins, concurrent
 * adds to the same key overwrite each other.
 *
 * <p>History: {@code add} (value: the element) and, after the run, {@code final-read} (value: the
 * elements). An add whose read fails wrote nothing and is a FAIL whatever the read's error.
 */
public final class SetWorkload implements Workload {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/json";

    private final int slots;
    private final Keys keys = new Keys("set-");

    /** @param slots keys the adds spread over; few keys mean many concurrent adds to each */
    public SetWorkload(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be positive");
        }
        this.slots = slots;
    }

    @Override
    public String name() {
        return "set";
    }

    @Override
    public void perform(WorkerContext ctx) {
        long i = ctx.next("set");
        String key = keys.touch("set-" + ctx.random().nextInt(slots));
        String element = ctx.worker() + "-" + i;
        ctx.invoke("add", key, element);
        GetResult read;
        TreeSet<String> merged;
        try {
            read = ctx.client().get(key, ReadOptions.defaults().withTimeout(ctx.timeout()));
            merged = union(read);
        } catch (RuntimeException e) {
            ctx.complete(EventType.FAIL, "add", key, "read before the write failed: " + Outcomes.describe(e));
            return;
        }
        merged.add(element);
        try {
            ctx.client().put(key, encode(merged), CONTENT_TYPE, read.context(),
                    WriteOptions.defaults().withTimeout(ctx.timeout()));
            ctx.complete(EventType.OK, "add", key, null);
        } catch (RuntimeException e) {
            ctx.completeExceptionally("add", key, e);
        }
    }

    @Override
    public EventType finalRead(WorkerContext ctx, String key, ReadOptions options) {
        ctx.invoke("final-read", key, null);
        try {
            GetResult g = ctx.client().get(key, options);
            ctx.complete(EventType.OK, "final-read", key, new ArrayList<>(union(g)));
            return EventType.OK;
        } catch (RuntimeException e) {
            ctx.completeExceptionally("final-read", key, e);
            return Outcomes.classify(e);
        }
    }

    /** The union of the elements of every sibling. */
    static TreeSet<String> union(GetResult g) {
        TreeSet<String> elements = new TreeSet<>();
        for (Sibling s : g.siblings()) {
            elements.addAll(decode(s));
        }
        return elements;
    }

    static List<String> decode(Sibling s) {
        try {
            JsonNode node = JSON.readTree(s.value());
            if (node == null || !node.isArray()) {
                throw new IllegalStateException("a set value must be a JSON array, got: " + s.valueAsString());
            }
            List<String> elements = new ArrayList<>(node.size());
            node.forEach(e -> elements.add(e.asText()));
            return elements;
        } catch (IOException e) {
            throw new IllegalStateException("a set value is not JSON: " + s.valueAsString(), e);
        }
    }

    static byte[] encode(TreeSet<String> elements) {
        try {
            return JSON.writeValueAsString(elements).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
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
