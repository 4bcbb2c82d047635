package io.ringkv.checker.linearizability;

import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import io.ringkv.checker.history.Operation;
import io.ringkv.checker.history.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks histories for linearizability against a {@link Model}.
 *
 * <p>FAIL operations are dropped (they did not happen); INFO operations may take effect at any time
 * after their invocation. The model's {@link Model#partition partition} splits the history, and
 * the parts are searched in parallel, each with the same deadline. When the deadline passes, the
 * parts not finished are UNKNOWN: the checker never guesses.
 *
 * <pre>{@code
 * LinearizabilityResult r = LinearizabilityChecker.check(new MultiValueRegisterModel(), history,
 *         Duration.ofMinutes(1));
 * }</pre>
 *
 * Instances are immutable and thread-safe; the {@code with...} methods return modified copies.
 */
public final class LinearizabilityChecker {

    private static final Logger LOG = LoggerFactory.getLogger(LinearizabilityChecker.class);

    /**
     * Threads that help the calling thread check partitions, shared by all checks: starting threads
     * for every check would cost more than checking a small history. Idle ones go away.
     */
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "linearizability-check");
        t.setDaemon(true);
        return t;
    });

    /** Told each time a partition's check ends. */
    @FunctionalInterface
    public interface ProgressListener {
        void partitionDone(int done, int total);
    }

    private final Duration budget;
    private final boolean stopAtFirstViolation;
    private final int parallelism;
    private final ProgressListener progress;

    private LinearizabilityChecker(Duration budget, boolean stopAtFirstViolation, int parallelism,
                                   ProgressListener progress) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("budget must be positive: " + budget);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        this.budget = budget;
        this.stopAtFirstViolation = stopAtFirstViolation;
        this.parallelism = parallelism;
        this.progress = progress;
    }

    /**
     * A checker with a time budget per check, one thread per core, that stops at the first
     * partition found not linearizable.
     */
    public static LinearizabilityChecker withBudget(Duration budget) {
        return new LinearizabilityChecker(budget, true, Runtime.getRuntime().availableProcessors(),
                (done, total) -> { });
    }

    /** Checks a history with the default settings and the given budget. */
    public static <S, I, O> LinearizabilityResult check(Model<S, I, O> model, History history, Duration budget) {
        return withBudget(budget).check(model, history);
    }

    /**
     * Whether to stop the other partitions once one is ILLEGAL (the default: the verdict is known,
     * and one partition with a huge search space cannot hold it up). The partitions stopped are
     * reported UNKNOWN; with {@code false} every partition gets its own verdict, within the budget.
     */
    public LinearizabilityChecker withStopAtFirstViolation(boolean stop) {
        return new LinearizabilityChecker(budget, stop, parallelism, progress);
    }

    /** How many partitions to search at once. */
    public LinearizabilityChecker withParallelism(int threads) {
        return new LinearizabilityChecker(budget, stopAtFirstViolation, threads, progress);
    }

    /** A listener told of each finished partition, from the checking threads. */
    public LinearizabilityChecker withProgress(ProgressListener listener) {
        return new LinearizabilityChecker(budget, stopAtFirstViolation, parallelism, listener);
    }

    /**
     * Checks a history.
     *
     * @throws IllegalArgumentException if the model cannot decode one of the operations; the
     *                                  message names the operation (and its line, when read from a file)
     */
    public <S, I, O> LinearizabilityResult check(Model<S, I, O> model, History history) {
        long start = System.nanoTime();
        Run<S, I, O> run = new Run<>(split(model, history), start + budget.toNanos());
        List<Future<?>> helpers = new ArrayList<>();
        for (int i = 1; i < Math.min(parallelism, run.parts.size()); i++) {
            helpers.add(HELPERS.submit(run::work));
        }
        try {
            run.work();
            for (Future<?> helper : helpers) {
                helper.get();
            }
        } catch (InterruptedException e) {
            run.cancelled.set(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking linearizability", e);
        } catch (ExecutionException e) {
            run.cancelled.set(true);
            throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
                    : new IllegalStateException(e.getCause());
        } catch (RuntimeException e) {
            run.cancelled.set(true);
            throw e;
        }
        // No operation to place shows nothing: an empty history is undecided, not linearizable.
        Verdict verdict = run.parts.isEmpty() ? Verdict.UNKNOWN : Verdict.OK;
        for (PartitionResult r : run.results) {
            verdict = verdict.and(r.verdict());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        LOG.debug("{} on {} operations in {} partitions: {} in {} ms", model.name(), history.operations().size(),
                run.parts.size(), verdict, elapsed.toMillis());
        return new LinearizabilityResult(model.name(), verdict, List.of(run.results), budget, elapsed);
    }

    /** One check: the partitions, shared by the calling thread and its helpers. */
    private final class Run<S, I, O> {
        final List<Part<S, I, O>> parts;
        final PartitionResult[] results;
        /** Partition indexes, smallest first: a partition whose search explodes then holds up only
         * its own verdict, and a violation in a small partition is found early. */
        final List<Integer> order = new ArrayList<>();
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final BooleanSupplier stop;

        Run(List<Part<S, I, O>> parts, long deadline) {
            this.parts = parts;
            this.results = new PartitionResult[parts.size()];
            for (int i = 0; i < parts.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingInt(i -> parts.get(i).ops.size()));
            this.stop = () -> cancelled.get() || System.nanoTime() - deadline > 0;
        }

        /** Checks partitions until none is left. */
        void work() {
            for (int i = next.getAndIncrement(); i < order.size(); i = next.getAndIncrement()) {
                int p = order.get(i);
                results[p] = check(parts.get(p));
            }
        }

        private PartitionResult check(Part<S, I, O> part) {
            long start = System.nanoTime();
            PartitionSearch<S, I, O> search = part.search();
            Verdict verdict;
            String undecided = null;
            try {
                verdict = search.run(stop);
                if (verdict == Verdict.UNKNOWN) {
                    undecided = cancelled.get() ? "stopped: another partition is not linearizable"
                            : "the time budget of " + budget.toMillis() + " ms ran out";
                }
            } catch (OutOfMemoryError e) {
                // The memo of configurations is what fills the heap, and it is garbage as soon as
                // the search gives up: the other partitions and the caller can go on.
                verdict = Verdict.UNKNOWN;
                undecided = "ran out of memory";
                LOG.warn("partition '{}' of {} operations: {}", part.name, part.ops.size(), undecided);
            }
            if (verdict == Verdict.ILLEGAL && stopAtFirstViolation) {
                cancelled.set(true);
            }
            progress.partitionDone(done.incrementAndGet(), parts.size());
            return part.result(search, verdict, undecided, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Decodes every operation once and groups them by partition, in order of first appearance. */
    private static <S, I, O> List<Part<S, I, O>> split(Model<S, I, O> model, History history) {
        Map<String, Part<S, I, O>> parts = new LinkedHashMap<>();
        for (Operation op : history.operations()) {
            if (op.outcome() == Outcome.FAIL) {
                continue;
            }
            I input;
            O output;
            try {
                input = model.input(op);
                output = op.outcome() == Outcome.OK ? model.output(op) : null;
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(op.where() + ": " + e.getMessage(), e);
            }
            parts.computeIfAbsent(model.partition(input), name -> new Part<>(model, name)).add(op, input, output);
        }
        return new ArrayList<>(parts.values());
    }

    /** One partition's operations, decoded. */
    private static final class Part<S, I, O> {
        final Model<S, I, O> model;
        final String name;
        final List<Operation> ops = new ArrayList<>();
        final List<I> inputs = new ArrayList<>();
        final List<O> outputs = new ArrayList<>();

        Part(Model<S, I, O> model, String name) {
            this.model = model;
            this.name = name;
        }

        void add(Operation op, I input, O output) {
            ops.add(op);
            inputs.add(input);
            outputs.add(output);
        }

        PartitionSearch<S, I, O> search() {
            int n = ops.size();
            long[] calls = new long[n];
            long[] returns = new long[n];
            for (int i = 0; i < n; i++) {
                calls[i] = ops.get(i).invokeTime();
                returns[i] = ops.get(i).linearizationDeadline();
            }
            return new PartitionSearch<>(model, inputs.toArray(), outputs.toArray(), calls, returns);
        }

        /** Describes what the search found, in the model's words. */
        PartitionResult result(PartitionSearch<S, I, O> search, Verdict verdict, String undecided, Duration elapsed) {
            List<String> descriptions = new ArrayList<>(ops.size());
            for (int i = 0; i < ops.size(); i++) {
                descriptions.add(model.describeOperation(inputs.get(i), outputs.get(i)));
            }
            int[] order = search.bestOrder();
            List<S> states = search.bestStates();
            List<PartitionResult.Step> linearization = new ArrayList<>(order.length);
            for (int i = 0; i < order.length; i++) {
                linearization.add(new PartitionResult.Step(ops.get(order[i]), model.describeState(states.get(i))));
            }
            Operation unplaced = verdict == Verdict.ILLEGAL ? ops.get(search.firstUnplaced()) : null;
            return new PartitionResult(name, verdict, List.copyOf(ops), List.copyOf(descriptions),
                    List.copyOf(linearization), unplaced, undecided, search.steps(), search.cacheSize(), elapsed);
        }
    }
}
