package io.ringkv.checker.history;

import java.io.IOException;

/** A history file, or one of its lines, could not be understood. */
public final class HistoryFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int line;

    /**
     * @param line the 1-based line of the file, or 0 when the problem has no single line
     */
    public HistoryFormatException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    /** The 1-based line that could not be parsed, or 0. */
    public int line() {
        return line;
    }
}
