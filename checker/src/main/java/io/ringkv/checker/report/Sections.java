package io.ringkv.checker.report;

import static io.ringkv.checker.report.Html.badge;
import static io.ringkv.checker.report.Html.escape;
import static io.ringkv.checker.report.Html.firstFew;
import static io.ringkv.checker.report.Html.row;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.dynamo.ConvergenceResult;
import io.ringkv.checker.dynamo.LostWritesResult;
import io.ringkv.checker.dynamo.SessionResult;
import io.ringkv.checker.linearizability.LinearizabilityResult;
import io.ringkv.checker.linearizability.PartitionResult;
import java.util.Comparator;
import java.util.List;

/**
 * The parts of the report written as plain HTML, readable even where scripts do not run: the
 * verdicts and the details of each checker. Charts and timelines are drawn by the page's script.
 */
final class Sections {

    private static final int MAX_ROWS = 200;

    private Sections() {
    }

    static String verdicts(List<? extends CheckerResult> results) {
        StringBuilder b = new StringBuilder("<table class=\"verdicts\"><thead><tr><th>checker</th><th>verdict</th>"
                + "<th>summary</th></tr></thead><tbody>\n");
        for (CheckerResult r : results) {
            b.append(row(r.checker(), new Html.Raw(badge(r.verdict())), r.summary()));
        }
        return b.append("</tbody></table>\n").toString();
    }

    /** The run's verdict, warnings, promised properties, configuration and files. */
    static String run(RunSummary run) {
        StringBuilder b = new StringBuilder("<section class=\"run\"><h2>Run " + badge(run.verdict()) + "</h2>\n");
        b.append("<p class=\"headline\">").append(escape(run.headline())).append("</p>\n");
        for (String w : run.warnings()) {
            b.append("<p class=\"warning\">").append(escape(w)).append("</p>\n");
        }
        b.append("<table class=\"properties\"><thead><tr><th>property</th><th>verdict</th><th>promised</th>"
                + "<th>why</th></tr></thead><tbody>\n");
        for (RunSummary.Property p : run.properties()) {
            String meaning = p.promised() ? "promised"
                    : p.verdict() == Verdict.ILLEGAL ? "not promised: counterexample below" : "not promised";
            b.append(row(p.checker(), new Html.Raw(badge(p.verdict())), meaning, p.why()));
        }
        b.append("</tbody></table>\n<h3>Configuration</h3>\n<table class=\"settings\"><tbody>\n");
        run.settings().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> b.append(row(e.getKey(), e.getValue())));
        b.append("</tbody></table>\n<p>Reproduce: <code>").append(escape(run.command())).append("</code></p>\n");
        if (!run.files().isEmpty()) {
            b.append("<p>Files:");
            for (String f : run.files()) {
                b.append(" <a href=\"").append(escape(f)).append("\">").append(escape(f)).append("</a>");
            }
            b.append("</p>\n");
        }
        return b.append("</section>\n").toString();
    }

    static String details(CheckerResult r) {
        if (r instanceof LinearizabilityResult) {
            return linearizability((LinearizabilityResult) r);
        }
        if (r instanceof LostWritesResult) {
            return lostWrites((LostWritesResult) r);
        }
        if (r instanceof ConvergenceResult) {
            return convergence((ConvergenceResult) r);
        }
        if (r instanceof SessionResult) {
            return sessions((SessionResult) r);
        }
        return "";
    }

    private static String linearizability(LinearizabilityResult r) {
        StringBuilder b = new StringBuilder(section("Linearizability (" + r.model() + " model)", r.verdict()));
        b.append("<p>").append(escape(r.summary())).append(". Checked in ").append(r.elapsed().toMillis())
                .append(" ms of a ").append(r.budget().toMillis()).append(" ms budget.</p>\n");
        b.append("<table><thead><tr><th>partition</th><th>verdict</th><th>operations</th><th>search steps</th>"
                + "<th>ms</th><th>note</th></tr></thead><tbody>\n");
        List<PartitionResult> shown = r.partitions().stream()
                .sorted(Comparator.comparing((PartitionResult p) -> p.verdict() != Verdict.ILLEGAL))
                .limit(MAX_ROWS).toList();
        for (PartitionResult p : shown) {
            String note = p.verdict() == Verdict.ILLEGAL && p.unplaced() != null
                    ? "after " + p.linearization().size() + " operations, " + p.describe(p.unplaced())
                    + " (process " + p.unplaced().process() + ") cannot take effect"
                    : p.undecided() == null ? "" : p.undecided();
            b.append(row(p.partition().isEmpty() ? "(all)" : p.partition(), new Html.Raw(badge(p.verdict())),
                    p.operations().size(), p.steps(), p.elapsed().toMillis(), note));
        }
        b.append("</tbody></table>\n");
        if (r.partitions().size() > shown.size()) {
            b.append("<p>").append(r.partitions().size() - shown.size()).append(" more partitions not listed.</p>\n");
        }
        return b.append("<div class=\"timelines\" data-checker=\"linearizability\"></div>\n</section>\n").toString();
    }

    private static String lostWrites(LostWritesResult r) {
        StringBuilder b = new StringBuilder(section("Lost writes", r.verdict()));
        b.append("<p>").append(escape(r.summary())).append(".</p>\n<table><thead><tr><th>key</th><th>verdict</th>"
                + "<th>attempted</th><th>acknowledged</th><th>lost</th><th>unexpected</th><th>recovered</th>"
                + "</tr></thead><tbody>\n");
        r.keys().stream().limit(MAX_ROWS).forEach(k -> b.append(row(k.key(), new Html.Raw(badge(k.verdict())),
                k.attempted(), k.acknowledged(), count(k.lost()), count(k.unexpected()), count(k.recovered()))));
        return b.append("</tbody></table>\n</section>\n").toString();
    }

    private static String convergence(ConvergenceResult r) {
        // A run judges convergence twice: by the system alone, then after its own repairing reads.
        String title = r.checker().equals("convergence") ? "Convergence by hinted handoff and anti-entropy"
                : "Convergence (" + r.checker() + ")";
        StringBuilder b = new StringBuilder(section(title, r.verdict()));
        b.append("<p>").append(escape(r.summary())).append(".</p>\n<table><thead><tr><th>key</th><th>verdict</th>"
                + "<th>converged after (ms)</th><th>sampled for (ms)</th><th>last state per replica</th>"
                + "</tr></thead><tbody>\n");
        r.keys().stream().limit(MAX_ROWS).forEach(k -> b.append(row(k.key(), new Html.Raw(badge(k.verdict())),
                k.took() == null ? "never" : k.took().toMillis(), k.observed().toMillis(), k.latest())));
        return b.append("</tbody></table>\n</section>\n").toString();
    }

    private static String sessions(SessionResult r) {
        StringBuilder b = new StringBuilder(section("Session guarantees", r.verdict()));
        b.append("<p>").append(escape(r.summary())).append(".</p>\n");
        if (!r.violations().isEmpty()) {
            b.append("<table><thead><tr><th>guarantee</th><th>process</th><th>key</th><th>missing value</th>"
                    + "<th>read at (ms)</th><th>required since (ms)</th></tr></thead><tbody>\n");
            r.violations().stream().limit(MAX_ROWS).forEach(v -> b.append(row(v.guarantee(), v.process(), v.key(),
                    v.missing(), ReportData.ms(v.read().invokeTime()), ReportData.ms(v.because().invokeTime()))));
            b.append("</tbody></table>\n");
        }
        return b.append("</section>\n").toString();
    }

    private static String section(String title, Verdict v) {
        return "<section class=\"checker\"><h2>" + escape(title) + " " + badge(v) + "</h2>\n";
    }

    private static String count(List<Object> items) {
        return items.isEmpty() ? "0" : items.size() + ": " + firstFew(items, 10);
    }
}
