package io.ringkv.checker.harness;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.dynamo.ConvergenceChecker;
import io.ringkv.checker.dynamo.LostWritesChecker;
import io.ringkv.checker.dynamo.SessionChecker;
import io.ringkv.checker.history.Event;
import io.ringkv.checker.history.EventType;
import io.ringkv.checker.history.History;
import io.ringkv.checker.linearizability.LinearizabilityChecker;
import io.ringkv.checker.model.MultiValueRegisterModel;
import io.ringkv.checker.workload.RegisterWorkload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/** Runs the checkers that fit a run's workload on its history and convergence samples. */
final class Checks {

    private Checks() {
    }

    /**
     * @param bySystem    the convergence samples from the heal to the final reads, or null when they
     *                    could not be taken (the result is then UNKNOWN)
     * @param afterRepair the convergence samples after the final reads, or null
     * @param progress    told what is being checked
     * @return results in the order of {@link Promises#of}
     */
    static List<CheckerResult> run(RunConfig config, History history, ConvergenceSampler.Phase bySystem,
                                   ConvergenceSampler.Phase afterRepair, Consumer<String> progress) {
        List<CheckerResult> results = new ArrayList<>();
        if (config.registers()) {
            History registers = registerHistory(history);
            progress.accept("checking linearizability of " + registers.operations().size() + " register operations");
            results.add(LinearizabilityChecker.withBudget(config.checkBudget())
                    .check(new MultiValueRegisterModel(), registers));
            results.add(SessionChecker.check(registers));
        }
        if (config.sets()) {
            progress.accept("checking for lost writes");
            results.add(LostWritesChecker.check(history));
        }
        results.add(convergence(Promises.CONVERGENCE, bySystem, config));
        results.add(convergence(Promises.CONVERGENCE_AFTER_REPAIR, afterRepair, config));
        return results;
    }

    private static CheckerResult convergence(String name, ConvergenceSampler.Phase phase, RunConfig config) {
        return phase == null ? new Unchecked(name, "not checked: the replicas of the keys could not be sampled")
                : ConvergenceChecker.check(name, phase.replicas(), phase.samples(), phase.hints(), phase.since(),
                config.convergenceTimeout());
    }

    /**
     * The register operations of a history, and its nemesis events. A read whose outcome is unknown
     * is left out: it returned nothing and changed nothing (a read repair only spreads values
     * already written), so it constrains no linearization, and every operation left in the search
     * makes it longer.
     */
    static History registerHistory(History history) {
        List<Event> kept = new ArrayList<>();
        Map<Integer, Integer> openInvoke = new HashMap<>();
        for (Event e : history.events()) {
            if (e.type() == EventType.NEMESIS) {
                kept.add(e);
                continue;
            }
            if (e.key() == null || !e.key().startsWith(RegisterWorkload.KEY_PREFIX)) {
                continue;
            }
            if (e.type() == EventType.INVOKE) {
                openInvoke.put(e.process(), kept.size());
                kept.add(e);
                continue;
            }
            Integer invoke = openInvoke.remove(e.process());
            if (e.type() == EventType.INFO && "read".equals(e.f()) && invoke != null) {
                kept.set(invoke, null);
            } else {
                kept.add(e);
            }
        }
        kept.removeIf(Objects::isNull);
        return History.of(kept);
    }
}
