package io.ringkv.checker.workload;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;

/** The keys a workload touched, for the final reads and the convergence check. Thread-safe. */
final class Keys {

    private final String prefix;
    private final ConcurrentSkipListSet<String> touched = new ConcurrentSkipListSet<>();

    Keys(String prefix) {
        this.prefix = prefix;
    }

    String touch(String key) {
        touched.add(key);
        return key;
    }

    List<String> list() {
        return List.copyOf(touched);
    }

    boolean owns(String key) {
        return key.startsWith(prefix);
    }
}
