package io.ringkv.checker.history;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Records a history as JSON Lines while a run goes on (see {@link JsonlHistory} for the format).
 *
 * <p>Thread-safe: client threads and the nemesis may write concurrently, and each line is written
 * whole. Every event is flushed as it is written, so a harness that dies leaves a history that is
 * complete up to its last event; a reader turns the invocations left open into INFO operations.
 */
public final class HistoryWriter implements Closeable {

    private final Writer out;

    /** Writes to a writer, which this writer closes. */
    public HistoryWriter(Writer out) {
        this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out);
    }

    /** Creates (or truncates) a file. */
    public static HistoryWriter open(Path path) throws IOException {
        return new HistoryWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
    }

    /** Appends one event. */
    public synchronized void write(Event event) throws IOException {
        out.write(JsonlHistory.format(event));
        out.write('\n');
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
