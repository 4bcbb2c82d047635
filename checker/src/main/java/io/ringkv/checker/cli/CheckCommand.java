package io.ringkv.checker.cli;

import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import io.ringkv.checker.history.HistoryFormat;
import io.ringkv.checker.history.HistoryFormatException;
import io.ringkv.checker.linearizability.LinearizabilityChecker;
import io.ringkv.checker.linearizability.LinearizabilityResult;
import io.ringkv.checker.linearizability.Model;
import io.ringkv.checker.linearizability.PartitionResult;
import io.ringkv.checker.model.KvModel;
import io.ringkv.checker.model.MultiValueRegisterModel;
import io.ringkv.checker.model.RegisterModel;
import io.ringkv.checker.report.HtmlReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kv check HISTORY}: checks a saved history for linearizability, prints the verdict and
 * writes the HTML report. Exit codes: 0 linearizable, 1 not, 2 unknown (the budget ran out), 64
 * bad usage or an unreadable history (the message names the line).
 */
@Command(name = "check", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = CheckCommand.USAGE,
        sortOptions = false,
        description = {"Checks a saved history for linearizability and writes an HTML report.",
            "Exit code 0: linearizable, 1: not linearizable, 2: unknown (time budget ran out), 64: bad usage or "
                + "unreadable history."})
public final class CheckCommand implements Callable<Integer> {

    /** The exit code for bad usage or an unreadable file (BSD's EX_USAGE). */
    public static final int USAGE = 64;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HISTORY", description = "The history file.")
    private Path history;

    @Option(names = "--model", paramLabel = "register|kv|mvr",
            description = "The model to check against. Default: mvr for jsonl, register for jepsen-etcd, kv for "
                + "porcupine-kv.")
    private String model;

    @Option(names = "--format", paramLabel = "jsonl|jepsen-etcd|porcupine-kv", defaultValue = "jsonl",
            description = "The history's format: the product's JSON Lines (default), a Jepsen etcd log, or "
                + "Porcupine's key-value format.")
    private String format;

    @Option(names = "--budget", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Time budget of the check, like 500ms, 30s, 5m (default: ${DEFAULT-VALUE}); when it runs "
                + "out the verdict is unknown.")
    private Duration budget;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Where to write the HTML report (default: the history's name with .html, beside it).")
    private Path report;

    @Option(names = "--no-report", description = "Do not write the HTML report.")
    private boolean noReport;

    @Option(names = "--all-partitions",
            description = "Check every partition even after one is found not linearizable (slower, fuller report).")
    private boolean allPartitions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HistoryFormat fmt = HistoryFormat.fromCliName(format);
        if (fmt == null) {
            return usage(err, "unknown --format '" + format + "': expected jsonl, jepsen-etcd or porcupine-kv");
        }
        Model<?, ?, ?> m = model(model == null ? defaultModel(fmt) : model.toLowerCase(Locale.ROOT));
        if (m == null) {
            return usage(err, "unknown --model '" + model + "': expected register, kv or mvr");
        }
        History h;
        try {
            h = History.read(history, fmt);
        } catch (HistoryFormatException e) {
            return usage(err, history + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            return usage(err, history + ": no such file");
        } catch (IOException | java.io.UncheckedIOException e) {
            return usage(err, history + ": cannot read: " + e.getMessage());
        }

        LinearizabilityResult result;
        AtomicInteger done = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "check-progress");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        ticker.scheduleAtFixedRate(() -> {
            err.printf("checking %s: %d/%s partitions done, %.0f s%n", history.getFileName(), done.get(),
                    total.get() == 0 ? "?" : total.get(), (System.nanoTime() - start) / 1e9);
            err.flush();
        }, 1, 1, TimeUnit.SECONDS);
        try {
            result = LinearizabilityChecker.withBudget(budget).withStopAtFirstViolation(!allPartitions)
                    .withProgress((d, t) -> {
                        done.set(d);
                        total.set(t);
                    })
                    .check(m, h);
        } catch (IllegalArgumentException e) {
            return usage(err, history + ": " + e.getMessage());
        } finally {
            ticker.shutdownNow();
        }

        out.println(result.verdict() + ": " + result.summary());
        for (PartitionResult p : result.partitions(Verdict.ILLEGAL)) {
            out.println("  partition " + (p.partition().isEmpty() ? "(all)" : p.partition()) + ": longest linearizable "
                    + "prefix " + p.linearization().size() + " of " + p.operations().size() + " operations; cannot place "
                    + p.describe(p.unplaced()) + " (" + p.unplaced().where() + ")");
        }
        out.flush();
        if (!noReport) {
            writeReport(h, fmt, result, err);
        }
        return switch (result.verdict()) {
            case OK -> 0;
            case ILLEGAL -> 1;
            case UNKNOWN -> 2;
        };
    }

    private void writeReport(History h, HistoryFormat fmt, LinearizabilityResult result, PrintWriter err) {
        Path target = report != null ? report : defaultReport(history);
        try {
            // Public formats carry event positions, not clock times: no latency charts for them.
            HtmlReport.write(target, "ringkv check: " + history.getFileName(), fmt == HistoryFormat.JSONL ? h : null,
                    fmt == HistoryFormat.JSONL ? h.faultWindows() : List.of(), List.of(result));
            err.println("report: " + target.toAbsolutePath());
        } catch (IOException e) {
            // The verdict stands; only the report is missing.
            err.println("could not write the report " + target + ": " + e.getMessage());
        }
        err.flush();
    }

    static Path defaultReport(Path history) {
        String name = history.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        Path dir = history.toAbsolutePath().getParent();
        return dir.resolve(base + ".html");
    }

    private static String defaultModel(HistoryFormat fmt) {
        return switch (fmt) {
            case JSONL -> "mvr";
            case JEPSEN_ETCD -> "register";
            case PORCUPINE_KV -> "kv";
        };
    }

    private static Model<?, ?, ?> model(String name) {
        return switch (name) {
            case "register" -> new RegisterModel();
            case "kv" -> new KvModel();
            case "mvr" -> new MultiValueRegisterModel();
            default -> null;
        };
    }

    private int usage(PrintWriter err, String message) {
        err.println("kv check: " + message);
        err.flush();
        return USAGE;
    }

    /** Durations as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT30S}). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("pt")) {
                    return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
                }
                Duration d;
                if (v.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                } else if (v.endsWith("s")) {
                    d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
                } else if (v.endsWith("m")) {
                    d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
                } else if (v.endsWith("h")) {
                    d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
                } else {
                    throw new IllegalArgumentException();
                }
                if (d.isZero() || d.isNegative()) {
                    throw new IllegalArgumentException();
                }
                return d;
            } catch (RuntimeException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a positive duration like 500ms, 30s, 5m or 1h");
            }
        }
    }
}
