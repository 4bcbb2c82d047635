package io.ringkv.checker.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * Which properties a configuration promises, and why: the exit code of a run reflects only these,
 * so a configuration that trades a property away (sloppy quorums trade linearizability for
 * availability) passes while its report still shows the counterexample.
 */
public final class Promises {

    public static final String LINEARIZABILITY = "linearizability";
    public static final String SESSIONS = "sessions";
    public static final String LOST_WRITES = "lost-writes";
    public static final String CONVERGENCE = "convergence";
    public static final String CONVERGENCE_AFTER_REPAIR = "convergence-after-final-reads";

    /**
     * A property and whether the configuration promises it.
     *
     * @param checker the checker's name, as in its result
     * @param why     the reason, in the words of the guarantee or of what breaks it
     */
    public record Promise(String checker, boolean promised, String why) {
    }

    private Promises() {
    }

    /** The properties the run's workload lets the harness check, each with its promise. */
    public static List<Promise> of(RunConfig c) {
        List<Promise> promises = new ArrayList<>();
        if (c.registers()) {
            String broken = linearizabilityBrokenBy(c);
            promises.add(new Promise(LINEARIZABILITY, broken == null, broken == null
                    ? "r + w > n with strict quorums and synchronous read repair: every read quorum overlaps every "
                    + "write quorum, and a read returns only what a write quorum holds"
                    : broken));
            promises.add(new Promise(SESSIONS, broken == null, broken == null
                    ? "follows from linearizability: a client that carries its context reads its writes, and "
                    + "reads never go back"
                    : broken));
        }
        if (c.sets()) {
            boolean lww = c.conflicts().equals("lww");
            promises.add(new Promise(LOST_WRITES, !lww, lww
                    ? "last-writer-wins keeps one of concurrent writes and drops the others, acknowledged or not"
                    : "siblings keep every concurrent write; an acknowledged write is on w replicas (or on "
                    + "fallbacks, as hints), and the final reads ask every primary"));
        }
        promises.add(new Promise(CONVERGENCE, true,
                "after the heal, before the harness reads anything, hinted handoff, anti-entropy (every "
                        + RunConfig.seconds(c.aaeInterval()) + ") and the read repair of the workload's own reads "
                        + "bring every primary of every key to the same state within the convergence timeout"));
        promises.add(new Promise(CONVERGENCE_AFTER_REPAIR, true,
                "the final reads (every primary, synchronous read repair) leave every primary of every key in the "
                        + "same state"));
        return promises;
    }

    /** What in the configuration breaks linearizability, or null when nothing does. */
    private static String linearizabilityBrokenBy(RunConfig c) {
        List<String> reasons = new ArrayList<>();
        if (c.r() + c.w() <= c.n()) {
            reasons.add("r + w <= n: a read quorum need not overlap the last write's quorum");
        }
        if (c.sloppy()) {
            reasons.add("sloppy quorums: a write acknowledged by fallbacks is invisible to a read quorum of "
                    + "primaries until its hints are handed off");
        }
        if (c.readRepair().equals("async")) {
            reasons.add("asynchronous read repair: a read may return a value that no write quorum holds yet, "
                    + "and a later read may not see it");
        }
        if (c.conflicts().equals("lww")) {
            reasons.add("last-writer-wins drops concurrent writes that the register model keeps as siblings");
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }
}
