package io.ringkv.checker.bench;

import io.ringkv.checker.SharedData;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import io.ringkv.checker.history.HistoryFormat;
import io.ringkv.checker.linearizability.LinearizabilityChecker;
import io.ringkv.checker.linearizability.Model;
import io.ringkv.checker.model.KvModel;
import io.ringkv.checker.model.RegisterModel;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The checker on the largest and slowest public histories, to compare with Porcupine's own
 * benchmark figures in {@code shared/porcupine-data/VERDICTS.md} (Go, ns/op, same kind of machine).
 * Checks as Porcupine's {@code CheckEvents} does: parallel partitions, stopping at the first
 * violation. Parsing is not measured.
 *
 * <p>Run from the repository root (results in ms/op):
 * <pre>
 * mvn -B -q -pl checker test-compile exec:exec@jmh
 * mvn -B -q -pl checker test-compile exec:exec@jmh -Djmh.args="CheckerBenchmark -p history=jepsen/etcd_002.log"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class CheckerBenchmark {

    @Param({"jepsen/etcd_002.log", "jepsen/etcd_075.log", "jepsen/etcd_070.log", "jepsen/etcd_029.log",
        "kv/c50-ok.txt", "kv/c50-bad.txt", "kv/c01-ok.txt"})
    public String history;

    private History parsed;
    private Model<?, ?, ?> model;
    private LinearizabilityChecker checker;

    @Setup
    public void load() throws IOException {
        boolean etcd = history.startsWith("jepsen/");
        parsed = History.read(SharedData.porcupineData().resolve(history),
                etcd ? HistoryFormat.JEPSEN_ETCD : HistoryFormat.PORCUPINE_KV);
        model = etcd ? new RegisterModel() : new KvModel();
        checker = LinearizabilityChecker.withBudget(Duration.ofMinutes(5));
    }

    @Benchmark
    public Verdict check() {
        return checker.check(model, parsed).verdict();
    }
}
