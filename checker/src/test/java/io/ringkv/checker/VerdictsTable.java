package io.ringkv.checker;

import io.ringkv.checker.history.HistoryFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of expected verdicts in VERDICTS.md: one row per history file, so that adding a file
 * and a row adds a test case. The columns used are the first three (path, format, expected
 * verdict) and the last one (the Go tests, which say when the unpartitioned kv model applies too).
 */
public final class VerdictsTable {

    /**
     * A row.
     *
     * @param path          relative to the data folder
     * @param format        how to read it
     * @param expected      the expected verdict; null for a file with no verdict (empty file)
     * @param alsoUnpartitioned whether Porcupine also checks it with the unpartitioned kv model
     * @param counts        the table's counts, -1 where it has none: operations, pending (:info),
     *                      failed compares, read timeouts
     */
    public record Row(String path, HistoryFormat format, Verdict expected, boolean alsoUnpartitioned, int[] counts) {
        @Override
        public String toString() {
            return path;
        }
    }

    private VerdictsTable() {
    }

    private static int count(String cell) {
        String c = cell.strip();
        return c.matches("\\d+") ? Integer.parseInt(c) : -1;
    }

    public static List<Row> read(Path verdictsMd) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(verdictsMd)) {
            if (!line.startsWith("| ")) {
                continue;
            }
            String[] cells = line.split("\\|", -1);
            if (cells.length < 5) {
                continue;
            }
            String path = cells[1].strip();
            String format = cells[2].strip().toLowerCase(Locale.ROOT);
            String verdict = cells[3].strip().toLowerCase(Locale.ROOT);
            if (!path.endsWith(".log") && !path.endsWith(".txt")) {
                continue;
            }
            Verdict expected = verdict.startsWith("not linearizable") ? Verdict.ILLEGAL
                    : verdict.startsWith("linearizable") ? Verdict.OK : null;
            HistoryFormat fmt = format.contains("etcd") || path.startsWith("jepsen/") ? HistoryFormat.JEPSEN_ETCD
                    : format.contains("edn") || path.startsWith("kv/") ? HistoryFormat.PORCUPINE_KV : null;
            if (expected != null && fmt == null) {
                throw new IllegalStateException("VERDICTS.md: cannot tell the format of " + path + " from: " + format);
            }
            boolean unpartitioned = cells[cells.length - 2].contains("NoPartition");
            int[] counts = {count(cells[5]), count(cells[7]), count(cells[8]), count(cells[9])};
            rows.add(new Row(path, fmt, expected, unpartitioned, counts));
        }
        return rows;
    }
}
