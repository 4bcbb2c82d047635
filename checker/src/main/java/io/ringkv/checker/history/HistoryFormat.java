package io.ringkv.checker.history;

import java.io.IOException;
import java.nio.file.Path;

/** The history formats the checker reads. */
public enum HistoryFormat {
    /** The product's own JSON Lines ({@link JsonlHistory}). */
    JSONL("jsonl"),
    /** Jepsen etcd logs as published with Porcupine ({@link JepsenEtcdLog}). */
    JEPSEN_ETCD("jepsen-etcd"),
    /** Porcupine's key-value histories ({@link PorcupineKvLog}). */
    PORCUPINE_KV("porcupine-kv");

    private final String cliName;

    HistoryFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line. */
    public String cliName() {
        return cliName;
    }

    /** The format called {@code name} on the command line, or null. */
    public static HistoryFormat fromCliName(String name) {
        for (HistoryFormat f : values()) {
            if (f.cliName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** Reads a file in this format. */
    public History read(Path path) throws IOException {
        return switch (this) {
            case JSONL -> JsonlHistory.read(path);
            case JEPSEN_ETCD -> JepsenEtcdLog.read(path);
            case PORCUPINE_KV -> PorcupineKvLog.read(path);
        };
    }
}
