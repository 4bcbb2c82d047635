package io.ringkv.checker.nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * When faults happen during a run: fault periods alternating with heal periods of random lengths,
 * all within the time limit, beginning with a heal period so that the workload runs undisturbed
 * first. The kinds take turns in a shuffled order (each kind once per round), so a run long enough
 * for as many faults as kinds injects every kind. Everything follows from the seed: the same seed
 * gives the same schedule, and each period carries a seed of its own for the nemesis's choice of
 * nodes.
 *
 * @param periods the fault periods, in order, not overlapping
 */
public record FaultSchedule(List<Period> periods) {

    /**
     * One fault period.
     *
     * @param start when the fault is injected, since the workload started
     * @param end   when it is healed
     * @param kind  which nemesis injects it
     * @param seed  the seed of the nemesis's choices (which nodes, which shape)
     */
    public record Period(Duration start, Duration end, NemesisKind kind, long seed) {
    }

    /** A range of durations to draw from, both ends included, at millisecond resolution. */
    public record Range(Duration min, Duration max) {
        public Range {
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("a range needs 0 < min <= max, got " + min + ".." + max);
            }
        }

        Duration pick(Random random) {
            long span = max.toMillis() - min.toMillis();
            return min.plusMillis(span == 0 ? 0 : (long) (random.nextDouble() * (span + 1)));
        }

        @Override
        public String toString() {
            return min.toMillis() / 1000.0 + "-" + max.toMillis() / 1000.0 + " s";
        }
    }

    public FaultSchedule {
        periods = List.copyOf(periods);
    }

    /**
     * Plans the faults of a run.
     *
     * @param kinds the nemeses to use; empty for a run without faults
     * @param fault how long each fault lasts
     * @param heal  how long the cluster runs healed before each fault
     */
    public static FaultSchedule plan(long seed, Duration timeLimit, List<NemesisKind> kinds, Range fault, Range heal) {
        Random random = new Random(seed);
        List<Period> periods = new ArrayList<>();
        if (kinds.isEmpty()) {
            return new FaultSchedule(periods);
        }
        List<NemesisKind> round = new ArrayList<>();
        Duration t = heal.pick(random);
        // Bounded: every period takes at least fault.min plus heal.min of the time limit.
        while (true) {
            Duration length = fault.pick(random);
            if (t.plus(length).compareTo(timeLimit) > 0) {
                break;
            }
            if (round.isEmpty()) {
                round.addAll(kinds);
                Collections.shuffle(round, random);
            }
            periods.add(new Period(t, t.plus(length), round.remove(0), random.nextLong()));
            t = t.plus(length).plus(heal.pick(random));
        }
        return new FaultSchedule(periods);
    }

    /** One line per period, for the nemesis log. */
    public List<String> describe() {
        return periods.stream().map(p -> String.format("%7.1f s - %7.1f s  %s", p.start().toMillis() / 1000.0,
                p.end().toMillis() / 1000.0, p.kind().cliName())).toList();
    }
}
