package io.ringkv.checker.harness;

import io.ringkv.checker.nemesis.NemesisListener;
import io.ringkv.checker.workload.HistoryRecorder;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The nemesis's record of a run: {@code nemesis.log} (one line per event, with the run time), the
 * history's nemesis events (the report shades their windows), and a line for the user. A fault
 * whose heal failed stays open until {@link #closeOpen} records that the harness healed it.
 */
final class NemesisLog implements NemesisListener, Closeable {

    private final BufferedWriter file;
    private final HistoryRecorder recorder;
    private final ProgressLine console;
    private final List<String> open = new ArrayList<>();

    private NemesisLog(BufferedWriter file, HistoryRecorder recorder, ProgressLine console) {
        this.file = file;
        this.recorder = recorder;
        this.console = console;
    }

    static NemesisLog open(Path path, HistoryRecorder recorder, ProgressLine console) throws IOException {
        return new NemesisLog(Files.newBufferedWriter(path, StandardCharsets.UTF_8), recorder, console);
    }

    /** A line without a history event: the schedule, a skipped nemesis. */
    synchronized void note(String line) {
        write(line);
    }

    /** A line in the log and for the user, without a history event. */
    synchronized void announce(String line) {
        write(line);
        console.println(String.format("%8.1f s  %s", recorder.now() / 1e9, line));
    }

    @Override
    public synchronized void started(String fault) {
        recorder.nemesis("start", fault);
        open.add(fault);
        write("start " + fault);
        console.println(String.format("%8.1f s  fault: %s", recorder.now() / 1e9, fault));
    }

    @Override
    public synchronized void healed(String fault) {
        recorder.nemesis("stop", fault);
        open.remove(fault);
        write("heal  " + fault);
        console.println(String.format("%8.1f s  healed: %s", recorder.now() / 1e9, fault));
    }

    @Override
    public synchronized void failed(String what, RuntimeException cause) {
        write("ERROR " + what + ": " + cause.getMessage());
        console.println(String.format("%8.1f s  nemesis error: %s: %s", recorder.now() / 1e9, what, cause.getMessage()));
    }

    /** Closes, as healed now, every fault the nemesis could not heal itself. */
    synchronized void closeOpen(String how) {
        for (String fault : List.copyOf(open)) {
            recorder.nemesis("stop", fault);
            write("heal  " + fault + " (" + how + ")");
        }
        open.clear();
    }

    private void write(String line) {
        try {
            file.write(String.format("%10.3f s  %s%n", recorder.now() / 1e9, line));
            file.flush();
        } catch (IOException e) {
            // The history holds the same events; the log is for people.
            console.println("cannot write the nemesis log: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
    }
}
