package io.ringkv.checker.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.FaultWindow;
import io.ringkv.checker.history.History;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The report of a run: one self-contained HTML file (styles, script and data inline, nothing
 * fetched) that opens in a browser from disk. It shows the verdict of every checker with its
 * details; for linearizability, a timeline of each partition's operations per client, numbered in
 * the order of the longest linearization found, with the operation that cannot be placed and its
 * interval highlighted (the idea of Porcupine's visualization); latency over time with fault
 * windows shaded; and throughput.
 */
public final class HtmlReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HtmlReport() {
    }

    /** Writes the report of a run whose fault windows are the history's nemesis events. */
    public static void write(Path out, String title, History history, List<? extends CheckerResult> results)
            throws IOException {
        write(out, title, history, history == null ? List.of() : history.faultWindows(), results);
    }

    /**
     * Writes a report.
     *
     * @param history the run's history, for the latency and throughput charts; null to leave
     *                them out (a history whose times are not clock times, for example)
     * @param faults  the fault windows to shade
     * @param results the checkers' results, in the order to show them
     */
    public static void write(Path out, String title, History history, List<FaultWindow> faults,
                             List<? extends CheckerResult> results) throws IOException {
        Files.writeString(out, render(title, history, faults, results), StandardCharsets.UTF_8);
    }

    /**
     * Writes the report of a fault-injection run: as {@link #write(Path, String, History, List, List)},
     * with the run's summary first, and the run's verdict in the title rather than the combination of
     * every checker's (a property the configuration does not promise may be violated in a run that
     * passes).
     */
    public static void write(Path out, String title, History history, List<FaultWindow> faults,
                             List<? extends CheckerResult> results, RunSummary run) throws IOException {
        Files.writeString(out, render(title, history, faults, results, run), StandardCharsets.UTF_8);
    }

    /** The report as a string; see {@link #write(Path, String, History, List, List)}. */
    public static String render(String title, History history, List<FaultWindow> faults,
                                List<? extends CheckerResult> results) {
        return render(title, history, faults, results, null);
    }

    /** The report as a string; {@code run} may be null (a report of a history alone). */
    public static String render(String title, History history, List<FaultWindow> faults,
                                List<? extends CheckerResult> results, RunSummary run) {
        Verdict overall = Verdict.OK;
        for (CheckerResult r : results) {
            overall = overall.and(r.verdict());
        }
        if (run != null) {
            overall = run.verdict();
        }
        StringBuilder body = new StringBuilder();
        body.append("<header><h1>").append(Html.escape(title)).append(' ').append(Html.badge(overall))
                .append("</h1><p class=\"meta\">Generated ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        if (history != null) {
            body.append(" · ").append(history.operations().size()).append(" operations · ")
                    .append(faults.size()).append(" fault windows");
        }
        body.append("</p></header>\n");
        if (run != null) {
            body.append(Sections.run(run));
        }
        body.append("<section><h2>Verdicts</h2>\n").append(Sections.verdicts(results))
                .append("</section>\n");
        if (history != null) {
            body.append("<section class=\"charts\"><h2>Latency</h2><div id=\"latency-chart\"></div>"
                    + "<h2>Throughput</h2><div id=\"throughput-chart\"></div></section>\n");
        }
        for (CheckerResult r : results) {
            body.append(Sections.details(r));
        }
        body.append("<p id=\"render-status\" class=\"meta\">Charts and timelines need JavaScript.</p>\n");

        Map<String, Object> data = ReportData.build(title, history, faults, results);
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
                + "</title>\n<style>\n" + resource("report.css") + "</style></head>\n<body>\n" + body
                + "<script type=\"application/json\" id=\"report-data\">" + json(data) + "</script>\n<script>\n"
                + resource("report.js") + "</script>\n</body></html>\n";
    }

    /** JSON safe inside a script element: {@code <} only occurs in strings, where an escape means the same. */
    private static String json(Object data) {
        try {
            return JSON.writeValueAsString(data).replace("<", "\\u003c");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report data is not serializable", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
