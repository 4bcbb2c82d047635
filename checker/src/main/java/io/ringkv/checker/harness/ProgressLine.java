package io.ringkv.checker.harness;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The progress line of a long run: on a terminal one line rewritten every second, elsewhere (a CI
 * log) a new line every five seconds. Other output goes through {@link #println} so that it never
 * lands in the middle of the progress line. Thread-safe.
 */
final class ProgressLine implements AutoCloseable {

    private final PrintWriter out;
    private final boolean terminal;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kv-test-progress");
        t.setDaemon(true);
        return t;
    });
    private volatile Supplier<String> status = () -> null;
    private int shown;

    ProgressLine(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        long period = terminal ? 1 : 5;
        timer.scheduleAtFixedRate(this::tick, period, period, TimeUnit.SECONDS);
    }

    /** What the line shows from now on; a supplier returning null shows nothing. */
    void show(Supplier<String> status) {
        this.status = status;
    }

    /** Prints a line of its own. */
    synchronized void println(String line) {
        clear();
        out.println(line);
        out.flush();
    }

    private synchronized void tick() {
        String s;
        try {
            s = status.get();
        } catch (RuntimeException e) {
            s = "(progress unavailable: " + e.getMessage() + ")";
        }
        if (s == null) {
            return;
        }
        if (terminal) {
            out.print("\r" + s + " ".repeat(Math.max(0, shown - s.length())));
            shown = s.length();
        } else {
            out.println(s);
        }
        out.flush();
    }

    private void clear() {
        if (terminal && shown > 0) {
            out.print("\r" + " ".repeat(shown) + "\r");
            shown = 0;
        }
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        clear();
        out.flush();
    }
}
