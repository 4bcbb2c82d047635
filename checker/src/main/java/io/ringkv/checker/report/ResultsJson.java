package io.ringkv.checker.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.dynamo.ConvergenceResult;
import io.ringkv.checker.dynamo.LostWritesResult;
import io.ringkv.checker.dynamo.SessionResult;
import io.ringkv.checker.linearizability.LinearizabilityResult;
import io.ringkv.checker.linearizability.PartitionResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code results.json}: the verdict of the run and of each checker with its key numbers,
 * for scripts and CI (the HTML report is for people). Durations are in milliseconds.
 *
 * <pre>
 * {"title":"...","verdict":"OK","checkers":[{"checker":"linearizability","verdict":"OK","summary":"...", ...}]}
 * </pre>
 */
public final class ResultsJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {
    }

    public static void write(Path out, String title, List<? extends CheckerResult> results) throws IOException {
        JSON.writeValue(out.toFile(), toMap(title, results));
    }

    /** The document as maps and lists, as written. */
    public static Map<String, Object> toMap(String title, List<? extends CheckerResult> results) {
        Verdict overall = Verdict.OK;
        List<Object> checkers = new ArrayList<>();
        for (CheckerResult r : results) {
            overall = overall.and(r.verdict());
            checkers.add(describe(r));
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("title", title);
        doc.put("verdict", overall.name());
        doc.put("checkers", checkers);
        return doc;
    }

    private static Map<String, Object> describe(CheckerResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checker", r.checker());
        m.put("verdict", r.verdict().name());
        m.put("summary", r.summary());
        if (r instanceof LinearizabilityResult lin) {
            m.put("model", lin.model());
            m.put("elapsed_ms", lin.elapsed().toMillis());
            m.put("budget_ms", lin.budget().toMillis());
            m.put("partitions", lin.partitions().stream().map(ResultsJson::partition).toList());
        } else if (r instanceof LostWritesResult lw) {
            m.put("attempted", lw.attempted());
            m.put("acknowledged", lw.acknowledged());
            m.put("lost", lw.lost());
            m.put("unexpected", lw.unexpected());
            m.put("recovered", lw.recovered());
            m.put("keys", lw.keys());
        } else if (r instanceof ConvergenceResult c) {
            m.put("slowest_ms", c.slowest().toMillis());
            m.put("deadline_ms", c.deadline().toMillis());
            m.put("keys", c.keys().stream().map(k -> {
                Map<String, Object> km = new LinkedHashMap<>();
                km.put("key", k.key());
                km.put("verdict", k.verdict().name());
                km.put("converged_after_ms", k.took() == null ? null : k.took().toMillis());
                km.put("observed_ms", k.observed().toMillis());
                km.put("replicas", k.latest().size());
                return km;
            }).toList());
        } else if (r instanceof SessionResult s) {
            m.put("sessions", s.sessions());
            m.put("reads", s.reads());
            m.put("read_your_writes_violations", s.count("read-your-writes"));
            m.put("monotonic_reads_violations", s.count("monotonic-reads"));
        }
        return m;
    }

    private static Map<String, Object> partition(PartitionResult p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partition", p.partition());
        m.put("verdict", p.verdict().name());
        m.put("operations", p.operations().size());
        m.put("steps", p.steps());
        m.put("elapsed_ms", p.elapsed().toMillis());
        if (p.undecided() != null) {
            m.put("undecided", p.undecided());
        }
        if (p.unplaced() != null) {
            m.put("prefix_length", p.linearization().size());
            m.put("unplaced", Map.of("process", p.unplaced().process(), "operation", p.describe(p.unplaced()),
                    "invoke_time", p.unplaced().invokeTime()));
        }
        return m;
    }
}
