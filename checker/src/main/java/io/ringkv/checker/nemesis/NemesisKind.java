package io.ringkv.checker.nemesis;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The kinds of fault {@code kv test} can inject. */
public enum NemesisKind {
    /** SIGKILL nodes, restart them later on the same data directory. */
    KILL,
    /** SIGSTOP nodes, SIGCONT them later. */
    PAUSE,
    /** iptables rules that drop traffic between the nodes' loopback addresses. */
    PARTITION;

    /** The name used on the command line and in reports. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a comma list of {@code none}, {@code kill}, {@code pause}, {@code partition} and
     * {@code all}, in the order given, without repeats.
     *
     * @throws IllegalArgumentException naming the unknown word, or when {@code none} is combined
     */
    public static List<NemesisKind> parseList(String list) {
        Set<NemesisKind> kinds = EnumSet.noneOf(NemesisKind.class);
        List<NemesisKind> ordered = new ArrayList<>();
        boolean none = false;
        for (String word : list.split(",")) {
            String w = word.strip().toLowerCase(Locale.ROOT);
            switch (w) {
                case "none" -> none = true;
                case "all" -> {
                    for (NemesisKind k : values()) {
                        if (kinds.add(k)) {
                            ordered.add(k);
                        }
                    }
                }
                default -> {
                    NemesisKind k = null;
                    for (NemesisKind candidate : values()) {
                        if (candidate.cliName().equals(w)) {
                            k = candidate;
                        }
                    }
                    if (k == null) {
                        throw new IllegalArgumentException("unknown nemesis '" + word.strip()
                                + "': expected none, kill, pause, partition or all");
                    }
                    if (kinds.add(k)) {
                        ordered.add(k);
                    }
                }
            }
        }
        if (none && !ordered.isEmpty()) {
            throw new IllegalArgumentException("nemesis 'none' cannot be combined with others");
        }
        return List.copyOf(ordered);
    }
}
