package io.ringkv.checker.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.history.FaultWindow;
import io.ringkv.checker.history.History;
import io.ringkv.checker.report.HtmlReport;
import io.ringkv.checker.report.ResultsJson;
import io.ringkv.checker.report.RunSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's {@code results.json} (for scripts and CI) and {@code report.html} (for people):
 * the run's verdict, each checker's verdict with whether the configuration promised it, the
 * configuration and the command that reproduces it, warnings, and the faults.
 */
final class RunOutputs {

    static final String HISTORY = "history.jsonl";
    static final String NEMESIS_LOG = "nemesis.log";
    static final String RESULTS = "results.json";
    static final String REPORT = "report.html";
    static final String NODES = "nodes";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunOutputs() {
    }

    /**
     * @param history  the run's history, or null when the run ended before it had one
     * @param warnings what the user must not miss (a skipped nemesis)
     * @param problems what kept the run from doing all it was asked
     */
    static void write(RunConfig config, RunOutcome outcome, History history, List<CheckerResult> results,
                      List<Promises.Promise> promises, List<String> warnings, List<String> problems) throws IOException {
        String title = "kv test " + config.dir().getFileName();
        List<FaultWindow> faults = history == null ? List.of() : history.faultWindows();

        Map<String, Object> doc = new LinkedHashMap<>(ResultsJson.toMap(title, results));
        doc.put("verdict", outcome.verdict().name());
        doc.put("exit_code", outcome.exitCode());
        doc.put("headline", outcome.headline());
        doc.put("command", config.command());
        doc.put("seed", config.seed());
        doc.put("config", config.describe());
        doc.put("warnings", warnings);
        doc.put("problems", problems);
        List<Object> faultList = new ArrayList<>();
        for (FaultWindow f : faults) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fault", f.fault());
            m.put("start_ms", f.start() / 1_000_000);
            m.put("end_ms", f.end() / 1_000_000);
            faultList.add(m);
        }
        doc.put("faults", faultList);
        List<Object> checkers = new ArrayList<>();
        for (Object o : (List<?>) doc.get("checkers")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> checker = new LinkedHashMap<>((Map<String, Object>) o);
            promises.stream().filter(p -> p.checker().equals(checker.get("checker"))).findFirst().ifPresent(p -> {
                checker.put("promised", p.promised());
                checker.put("promise", p.why());
            });
            checkers.add(checker);
        }
        // Checkers last: their details can be long, the run's verdict should be at the top.
        doc.remove("checkers");
        doc.put("checkers", checkers);
        JSON.writeValue(config.dir().resolve(RESULTS).toFile(), doc);

        List<RunSummary.Property> properties = new ArrayList<>();
        for (CheckerResult r : results) {
            promises.stream().filter(p -> p.checker().equals(r.checker())).findFirst().ifPresent(p ->
                    properties.add(new RunSummary.Property(r.checker(), p.promised(), p.why(), r.verdict())));
        }
        List<String> shown = new ArrayList<>(warnings);
        problems.forEach(p -> shown.add("Incomplete run: " + p));
        List<String> files = new ArrayList<>(List.of(HISTORY, NEMESIS_LOG, RESULTS));
        for (int i = 1; i <= config.nodes(); i++) {
            files.add(NODES + "/n" + i + "/node.log");
        }
        RunSummary summary = new RunSummary(outcome.verdict(), outcome.headline(), config.command(), config.describe(),
                properties, shown, files);
        HtmlReport.write(config.dir().resolve(REPORT), title, history, faults, results, summary);
    }
}
