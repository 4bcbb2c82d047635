package io.ringkv.checker.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.SharedData;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.VerdictsTable;
import io.ringkv.checker.history.History;
import io.ringkv.checker.history.HistoryFormat;
import io.ringkv.checker.history.Operation;
import io.ringkv.checker.history.Outcome;
import io.ringkv.checker.model.KvModel;
import io.ringkv.checker.model.KvNoPartitionModel;
import io.ringkv.checker.model.RegisterModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every public history in {@code shared/porcupine-data} gets the verdict Porcupine's own tests
 * expect, as listed in the table of VERDICTS.md.
 */
class PorcupineValidationTest {

    private static final Duration BUDGET = Duration.ofSeconds(60);

    @TestFactory
    Stream<DynamicTest> everyRowOfVerdictsMdMatches() throws IOException {
        Path data = SharedData.porcupineData();
        List<VerdictsTable.Row> rows = VerdictsTable.read(data.resolve("VERDICTS.md"));
        assertThat(rows).as("rows of VERDICTS.md").hasSizeGreaterThan(80);
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.path(), () -> check(data, row)));
    }

    private static void check(Path data, VerdictsTable.Row row) throws IOException {
        History history = History.read(data.resolve(row.path()), row.format());
        if (row.expected() == null) {
            assertThat(history.operations()).as("a file without a verdict is empty").isEmpty();
            // Porcupine calls an empty history linearizable; a check of nothing is undecided here.
            assertThat(LinearizabilityChecker.check(new RegisterModel(), history, BUDGET).verdict())
                    .isEqualTo(Verdict.UNKNOWN);
            return;
        }
        assertCounts(row, history);
        Model<?, ?, ?> model = row.format() == HistoryFormat.JEPSEN_ETCD ? new RegisterModel() : new KvModel();
        LinearizabilityResult result = LinearizabilityChecker.check(model, history, BUDGET);
        assertThat(result.verdict()).as(row.path() + ": " + result.summary()).isEqualTo(row.expected());
        if (row.alsoUnpartitioned()) {
            assertThat(LinearizabilityChecker.check(new KvNoPartitionModel(), history, BUDGET).verdict())
                    .as(row.path() + " unpartitioned").isEqualTo(row.expected());
        }
    }

    /** The parser reads what the table counted: operations, pending ones, failed compares, read timeouts. */
    private static void assertCounts(VerdictsTable.Row row, History history) {
        int[] expected = row.counts();
        List<Operation> ops = history.operations();
        int[] actual = {ops.size(),
            (int) ops.stream().filter(o -> o.outcome() == Outcome.INFO).count(),
            (int) ops.stream().filter(o -> o.f().equals("cas") && Boolean.FALSE.equals(o.output())).count(),
            (int) ops.stream().filter(o -> o.f().equals("read") && o.outcome() == Outcome.FAIL).count()};
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] >= 0) {
                assertThat(actual[i]).as(row.path() + " count #" + i).isEqualTo(expected[i]);
            }
        }
    }

    @Test
    void everyHistoryFileHasARow() throws IOException {
        Path data = SharedData.porcupineData();
        Set<String> rows = VerdictsTable.read(data.resolve("VERDICTS.md")).stream().map(VerdictsTable.Row::path)
                .collect(Collectors.toSet());
        try (Stream<Path> files = Files.walk(data)) {
            Set<String> histories = files.filter(Files::isRegularFile)
                    .map(p -> data.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.endsWith(".log") || p.endsWith(".txt"))
                    .collect(Collectors.toSet());
            assertThat(rows).containsExactlyInAnyOrderElementsOf(histories);
        }
    }
}
