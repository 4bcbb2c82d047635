package io.ringkv.checker.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.Histories;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import io.ringkv.checker.history.Operation;
import io.ringkv.checker.history.Outcome;
import io.ringkv.checker.model.RegisterModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The checker agrees with the definition: on small random histories, a brute-force search over
 * every order that respects real time (and every successor state) gives the same verdict.
 */
class BruteForceComparisonTest {

    record Op(String f, Object in, Object out, long start, long duration, Outcome outcome) {
    }

    @Property(tries = 400)
    void registerVerdictsMatchBruteForce(@ForAll("registerOps") List<Op> ops) {
        compare(new RegisterModel(), history(ops));
        coverBothVerdicts();
    }

    @Property(tries = 400)
    void nondeterministicVerdictsMatchBruteForce(@ForAll("pickOps") List<Op> ops) {
        compare(new PickModel(), history(ops));
        coverBothVerdicts();
    }

    /** A comparison that only ever saw one verdict would prove little. */
    private static void coverBothVerdicts() {
        Statistics.coverage(c -> {
            c.check(Verdict.OK).percentage(p -> p > 10);
            c.check(Verdict.ILLEGAL).percentage(p -> p > 10);
        });
    }

    private static <S, I, O> void compare(Model<S, I, O> model, History h) {
        // With every operation dropped (FAIL) nothing is left to place: undecided, never OK.
        boolean nothingToPlace = h.operations().stream().allMatch(op -> op.outcome() == Outcome.FAIL);
        Verdict expected = nothingToPlace ? Verdict.UNKNOWN : bruteForce(model, h) ? Verdict.OK : Verdict.ILLEGAL;
        Statistics.collect(expected);
        assertThat(LinearizabilityChecker.check(model, h, Duration.ofSeconds(10)).verdict())
                .as("%s", h.operations()).isEqualTo(expected);
        assertThat(LinearizabilityChecker.withBudget(Duration.ofSeconds(10)).withParallelism(1).check(model, h)
                .verdict()).isEqualTo(expected);
    }

    private static History history(List<Op> ops) {
        Histories h = Histories.builder();
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            long end = o.start() + o.duration();
            switch (o.outcome()) {
                case OK -> h.ok(i, o.f(), null, o.in(), o.out(), o.start(), end);
                case FAIL -> h.fail(i, o.f(), null, o.in(), o.start(), end);
                case INFO -> h.info(i, o.f(), null, o.in(), o.start(), end);
            }
        }
        return h.build();
    }

    /** Tries every order: an operation may go next unless another left returned before it was invoked. */
    private static <S, I, O> boolean bruteForce(Model<S, I, O> model, History h) {
        List<Operation> ops = h.operations().stream().filter(o -> o.outcome() != Outcome.FAIL).toList();
        List<I> in = new ArrayList<>();
        List<O> out = new ArrayList<>();
        for (Operation o : ops) {
            in.add(model.input(o));
            out.add(o.outcome() == Outcome.OK ? model.output(o) : null);
        }
        return search(model, ops, in, out, new boolean[ops.size()], model.initialState(), 0);
    }

    private static <S, I, O> boolean search(Model<S, I, O> model, List<Operation> ops, List<I> in, List<O> out,
                                            boolean[] done, S state, int count) {
        if (count == ops.size()) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if (done[i] || !mayGoNext(ops, done, i)) {
                continue;
            }
            done[i] = true;
            for (S next : model.step(state, in.get(i), out.get(i))) {
                if (search(model, ops, in, out, done, next, count + 1)) {
                    done[i] = false;
                    return true;
                }
            }
            done[i] = false;
        }
        return false;
    }

    private static boolean mayGoNext(List<Operation> ops, boolean[] done, int candidate) {
        for (int j = 0; j < ops.size(); j++) {
            if (!done[j] && j != candidate
                    && ops.get(j).linearizationDeadline() < ops.get(candidate).invokeTime()) {
                return false;
            }
        }
        return true;
    }

    @Provide
    Arbitrary<List<Op>> registerOps() {
        Arbitrary<Long> value = Arbitraries.longs().between(0, 2);
        Arbitrary<Object[]> call = Arbitraries.oneOf(
                value.map(v -> new Object[] {"write", v, null}),
                value.injectNull(0.3).map(v -> new Object[] {"read", null, v}),
                Combinators.combine(value, value, Arbitraries.of(true, false))
                        .as((a, b, ok) -> new Object[] {"cas", List.of(a, b), ok}));
        return ops(call);
    }

    @Provide
    Arbitrary<List<Op>> pickOps() {
        Arbitrary<Long> value = Arbitraries.longs().between(0, 3);
        Arbitrary<Object[]> call = Arbitraries.oneOf(
                value.map(v -> new Object[] {"write", v, null}),
                value.map(v -> new Object[] {"read", null, v}),
                value.list().ofMinSize(1).ofMaxSize(3).map(vs -> new Object[] {"pick", vs, null}));
        return ops(call);
    }

    private static Arbitrary<List<Op>> ops(Arbitrary<Object[]> call) {
        Arbitrary<Outcome> outcome = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(8, Outcome.OK), net.jqwik.api.Tuple.of(2, Outcome.INFO),
                net.jqwik.api.Tuple.of(1, Outcome.FAIL));
        return Combinators.combine(call, Arbitraries.longs().between(0, 20), Arbitraries.longs().between(1, 10),
                        outcome)
                .as((c, start, duration, o) -> new Op((String) c[0], c[1], c[2], start, duration, o))
                .list().ofMinSize(0).ofMaxSize(7);
    }
}
