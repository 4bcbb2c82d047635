package io.ringkv.checker.harness;

import io.ringkv.checker.CheckerResult;
import io.ringkv.checker.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The verdict of a run, from the properties its configuration promises. A violation found is
 * evidence and wins over everything; then anything that kept the run from doing what it was asked
 * (a fault that was skipped, a node that never came back, a history that could not be written)
 * makes the verdict UNKNOWN, as does a promised property the checkers could not decide: a run
 * never passes by default.
 */
final class Judge {

    private Judge() {
    }

    /**
     * @param problems what kept the run from doing all it was asked; empty when nothing did
     */
    static RunOutcome judge(List<CheckerResult> results, List<Promises.Promise> promises, List<String> problems,
                            Path dir) {
        Map<String, Promises.Promise> promise = promises.stream()
                .collect(Collectors.toMap(Promises.Promise::checker, Function.identity()));
        List<CheckerResult> promised = new ArrayList<>(results.stream()
                .filter(r -> promise.containsKey(r.checker()) && promise.get(r.checker()).promised()).toList());
        // A promise no checker answered is undecided, never held by default.
        promises.stream().filter(Promises.Promise::promised)
                .filter(p -> results.stream().noneMatch(r -> r.checker().equals(p.checker())))
                .forEach(p -> promised.add(new Unchecked(p.checker(), "no result: it was not checked")));
        List<CheckerResult> violated = promised.stream().filter(r -> r.verdict() == Verdict.ILLEGAL).toList();
        if (!violated.isEmpty()) {
            return new RunOutcome(Verdict.ILLEGAL, "promised " + (violated.size() == 1 ? "property" : "properties")
                    + " violated: " + describe(violated), dir);
        }
        if (!problems.isEmpty()) {
            return new RunOutcome(Verdict.UNKNOWN, "the run did not do all it was asked: " + String.join("; ", problems),
                    dir);
        }
        List<CheckerResult> unknown = promised.stream().filter(r -> r.verdict() == Verdict.UNKNOWN).toList();
        if (!unknown.isEmpty()) {
            return new RunOutcome(Verdict.UNKNOWN, "undecided: " + describe(unknown), dir);
        }
        String held = promised.isEmpty() ? "nothing is promised by this configuration"
                : "every promised property held (" + promised.stream().map(CheckerResult::checker)
                .collect(Collectors.joining(", ")) + ")";
        List<String> counterexamples = results.stream()
                .filter(r -> r.verdict() == Verdict.ILLEGAL && !promised.contains(r)).map(CheckerResult::checker)
                .toList();
        if (!counterexamples.isEmpty()) {
            held += "; not promised and violated, as the configuration allows: " + String.join(", ", counterexamples)
                    + " (counterexample in the report)";
        }
        return new RunOutcome(Verdict.OK, held, dir);
    }

    private static String describe(List<CheckerResult> results) {
        return results.stream().map(r -> r.checker() + " (" + r.summary() + ")").collect(Collectors.joining("; "));
    }
}
