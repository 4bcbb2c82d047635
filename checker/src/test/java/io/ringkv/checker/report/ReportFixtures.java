package io.ringkv.checker.report;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Histories;
import io.ringkv.checker.dynamo.ConvergenceChecker;
import io.ringkv.checker.dynamo.LostWritesChecker;
import io.ringkv.checker.dynamo.SessionChecker;
import io.ringkv.checker.history.History;
import io.ringkv.checker.linearizability.LinearizabilityChecker;
import io.ringkv.checker.model.MultiValueRegisterModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A small run with every checker: a lost sibling (not linearizable), a set workload, faults. */
final class ReportFixtures {

    static final long MS = 1_000_000;

    private ReportFixtures() {
    }

    static History history() {
        return Histories.builder()
                .ok(1, "write", "k1", Map.of("value", "1-1", "seen", List.of()), null, 0, 10 * MS)
                .ok(2, "write", "k1", Map.of("value", "2-1", "seen", List.of()), null, 20 * MS, 30 * MS)
                .ok(3, "read", "k1", null, Map.of("values", List.of("2-1")), 40 * MS, 55 * MS)
                .info(4, "write", "k2", Map.of("value", "4-1", "seen", List.of()), 5 * MS, 505 * MS)
                .ok(5, "read", "k2", null, Map.of("values", List.of()), 60 * MS, 61 * MS)
                .ok(2, "read", "k1", null, Map.of("values", List.of("2-1")), 80 * MS, 90 * MS) // reads its write
                .ok(6, "add", "s0", "6-1", null, 70 * MS, 72 * MS)
                .ok(0, "final-read", "s0", null, List.of("6-1"), 600 * MS, 601 * MS)
                .nemesis("start", "kill n2", 50 * MS)
                .nemesis("stop", "kill n2", 400 * MS)
                .build();
    }

    /** Linearizability (ILLEGAL), lost writes (OK), convergence (OK), sessions (OK). */
    static List<CheckerResult> results(History h) {
        History mvr = History.of(h.events().stream()
                .filter(e -> !e.f().equals("add") && !e.f().equals("final-read")).toList());
        return List.of(
                LinearizabilityChecker.check(new MultiValueRegisterModel(), mvr, Duration.ofSeconds(10)),
                LostWritesChecker.check(h),
                ConvergenceChecker.check("convergence", Map.of("k1", List.of("n1", "n2")),
                        List.of(new ConvergenceChecker.Sample(700 * MS, "n1", "k1", "x"),
                                new ConvergenceChecker.Sample(710 * MS, "n2", "k1", "x")), 650 * MS, Duration.ofSeconds(5)),
                SessionChecker.check(mvr));
    }
}
