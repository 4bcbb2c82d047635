package io.ringkv.checker.report;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.FaultWindow;
import io.ringkv.checker.history.History;
import io.ringkv.checker.history.Operation;
import io.ringkv.checker.history.Outcome;
import io.ringkv.checker.linearizability.LinearizabilityResult;
import io.ringkv.checker.linearizability.PartitionResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data the report's script draws, as JSON-ready maps and lists: operations for the latency and
 * throughput charts, fault windows, and the timelines of the linearizability partitions. Times are
 * milliseconds since the run started.
 *
 * <p>Sizes are capped so that a long run still gives a page a browser opens quickly: latency points
 * are sampled evenly beyond {@link #MAX_POINTS}, and timelines beyond {@link #MAX_TIMELINE_OPS}
 * operations in all are listed without being drawn, failing partitions first.
 */
final class ReportData {

    static final int MAX_POINTS = 20_000;
    static final int MAX_TIMELINE_OPS = 20_000;

    private ReportData() {
    }

    /** @param history null to leave out the latency and throughput charts */
    static Map<String, Object> build(String title, History history, List<FaultWindow> faults,
                                     List<? extends CheckerResult> results) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", title);
        data.put("faults", faults.stream().map(f -> Map.of("fault", f.fault(), "start", ms(f.start()),
                "end", ms(f.end()))).toList());
        data.put("latency", history == null ? List.of() : latencyPoints(history));
        data.put("end", history == null ? 0 : ms(history.endTime()));
        List<Object> timelines = new ArrayList<>();
        for (CheckerResult r : results) {
            if (r instanceof LinearizabilityResult) {
                timelines.add(timelines((LinearizabilityResult) r));
            }
        }
        data.put("linearizability", timelines);
        return data;
    }

    /** [invoke ms, latency ms, outcome] per completed operation: outcome 0 ok, 1 fail, 2 info. */
    private static List<double[]> latencyPoints(History history) {
        List<Operation> done = history.operations().stream().filter(o -> o.completeTime() != Long.MAX_VALUE)
                .toList();
        double every = Math.max(1.0, done.size() / (double) MAX_POINTS);
        List<double[]> points = new ArrayList<>();
        for (double i = 0; i < done.size(); i += every) {
            Operation op = done.get((int) i);
            points.add(new double[] {ms(op.invokeTime()), ms(op.completeTime() - op.invokeTime()),
                    op.outcome() == Outcome.OK ? 0 : op.outcome() == Outcome.FAIL ? 1 : 2});
        }
        return points;
    }

    private static Map<String, Object> timelines(LinearizabilityResult result) {
        List<PartitionResult> order = new ArrayList<>(result.partitions());
        // Failing partitions first, then undecided, then the rest: the budget of drawn operations goes
        // where a reader looks.
        order.sort(Comparator.comparingInt(p -> p.verdict() == Verdict.ILLEGAL ? 0 : p.verdict() == Verdict.UNKNOWN ? 1 : 2));
        int budget = MAX_TIMELINE_OPS;
        List<Object> partitions = new ArrayList<>();
        for (PartitionResult p : order) {
            boolean draw = p.operations().size() <= budget;
            if (draw) {
                budget -= p.operations().size();
            }
            partitions.add(partition(p, draw));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", result.model());
        m.put("verdict", result.verdict().name());
        m.put("partitions", partitions);
        return m;
    }

    private static Map<String, Object> partition(PartitionResult p, boolean draw) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.partition());
        m.put("verdict", p.verdict().name());
        m.put("undecided", p.undecided());
        m.put("size", p.operations().size());
        m.put("steps", p.steps());
        m.put("ms", p.elapsed().toMillis());
        if (!draw) {
            return m;
        }
        Map<Integer, Integer> indexOf = new HashMap<>();
        List<Object> ops = new ArrayList<>();
        for (int i = 0; i < p.operations().size(); i++) {
            Operation op = p.operations().get(i);
            indexOf.put(op.id(), i);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("client", op.process());
            o.put("call", op.invokeTime());
            // -1: the operation may take effect until the end of time (unknown outcome)
            o.put("ret", op.linearizationDeadline() == Long.MAX_VALUE ? -1 : op.linearizationDeadline());
            o.put("desc", p.descriptions().get(i));
            o.put("outcome", op.outcome().name());
            ops.add(o);
        }
        m.put("ops", ops);
        m.put("lin", p.linearization().stream().map(s -> List.of(indexOf.get(s.operation().id()), s.stateAfter()))
                .toList());
        m.put("unplaced", p.unplaced() == null ? null : indexOf.get(p.unplaced().id()));
        return m;
    }

    static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }
}
