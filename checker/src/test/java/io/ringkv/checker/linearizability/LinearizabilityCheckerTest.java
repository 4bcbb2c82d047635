package io.ringkv.checker.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.Histories;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import io.ringkv.checker.model.MultiValueRegisterModel;
import io.ringkv.checker.model.RegisterModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    /** Writes of distinct values, all concurrent, then a read of a value none wrote: every order must be tried. */
    private static Histories hardBatch(Histories h, String key, int writes) {
        for (int i = 0; i < writes; i++) {
            h.ok(100 + i, "write", key, i + 1, null, i, 1000 + i);
        }
        return h.ok(99, "read", key, null, 999_999, 5000, 5010);
    }

    @Test
    void whenTheBudgetRunsOutTheVerdictIsUnknown() {
        History h = hardBatch(Histories.builder(), "k", 30).build();
        long start = System.nanoTime();
        LinearizabilityResult r = LinearizabilityChecker.check(new RegisterModel(), h, Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.partitions().get(0).undecided()).contains("time budget of 300 ms ran out");
        assertThat(r.summary()).startsWith("undecided: the time budget of 300 ms ran out");
    }

    @Test
    void aViolationStopsTheOtherPartitionsUnlessAllAreWanted() {
        History h = hardBatch(Histories.builder(), "hard", 30)
                .ok(1, "write", "easy", 1, null, 0, 10)
                .ok(2, "read", "easy", null, 2, 20, 30)
                .build();
        LinearizabilityResult first = LinearizabilityChecker.withBudget(Duration.ofSeconds(30)).withParallelism(2)
                .check(new RegisterModel(), h);
        assertThat(first.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(first.elapsed()).isLessThan(Duration.ofSeconds(10));

        LinearizabilityResult all = LinearizabilityChecker.withBudget(Duration.ofMillis(300))
                .withStopAtFirstViolation(false).check(new RegisterModel(), h);
        assertThat(all.verdict()).as("a definite violation outweighs an undecided partition").isEqualTo(Verdict.ILLEGAL);
        assertThat(all.partitions()).extracting(PartitionResult::partition, PartitionResult::verdict)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hard", Verdict.UNKNOWN),
                        org.assertj.core.groups.Tuple.tuple("easy", Verdict.ILLEGAL));
        assertThat(all.partitions().get(0).undecided()).contains("time budget");
    }

    @Test
    void oneLongConcurrentBatchOfSiblingWrites() {
        Histories h = Histories.builder();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String v = i + "-1";
            values.add(v);
            h.ok(i, "write", "k", Map.of("value", v, "seen", List.of()), null, i, 10_000 + i);
        }
        Collections.reverse(values);
        h.ok(5000, "read", "k", null, Map.of("values", values), 20_000, 20_010);
        LinearizabilityResult r = LinearizabilityChecker.check(new MultiValueRegisterModel(), h.build(),
                Duration.ofSeconds(30));
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.partitions().get(0).linearization()).hasSize(2001);
    }

    @Test
    void oneLongConcurrentBatchOfReadsAndWrites() {
        // Every operation overlaps every other; the reads saw the writes in invocation order.
        Histories h = Histories.builder();
        for (int i = 0; i < 1000; i++) {
            h.ok(2 * i, "write", null, i, null, 2 * i, 100_000);
            h.ok(2 * i + 1, "read", null, null, i, 2 * i + 1, 100_000);
        }
        LinearizabilityResult r = LinearizabilityChecker.check(new RegisterModel(), h.build(), Duration.ofSeconds(30));
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void aLongSequentialHistoryAndTheSameWithItsLastReadWrong() {
        Histories ok = Histories.builder();
        Histories bad = Histories.builder();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            ok.ok(1, i % 2 == 0 ? "write" : "read", null, i % 2 == 0 ? i : null, i % 2 == 0 ? null : i - 1, 10L * i,
                    10L * i + 5);
            bad.ok(1, i % 2 == 0 ? "write" : "read", null, i % 2 == 0 ? i : null,
                    i % 2 == 0 ? null : i == n - 1 ? -1 : i - 1, 10L * i, 10L * i + 5);
        }
        LinearizabilityResult r = LinearizabilityChecker.check(new RegisterModel(), ok.build(), Duration.ofSeconds(30));
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.partitions().get(0).linearization()).hasSize(n);
        LinearizabilityResult b = LinearizabilityChecker.check(new RegisterModel(), bad.build(), Duration.ofSeconds(30));
        assertThat(b.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(b.partitions().get(0).linearization()).hasSize(n - 1);
        assertThat(b.elapsed()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void sequentialAndParallelChecksAgree() {
        Histories b = Histories.builder();
        for (int k = 0; k < 8; k++) {
            String key = "k" + k;
            b.ok(10 * k, "write", key, k, null, 0, 10).ok(10 * k + 1, "read", key, null, k % 3 == 0 ? -1 : k, 20, 30);
        }
        History h = b.build();
        List<Integer> progress = Collections.synchronizedList(new ArrayList<>());
        LinearizabilityResult one = LinearizabilityChecker.withBudget(Duration.ofSeconds(10)).withParallelism(1)
                .withStopAtFirstViolation(false).check(new RegisterModel(), h);
        LinearizabilityResult two = LinearizabilityChecker.withBudget(Duration.ofSeconds(10)).withParallelism(2)
                .withStopAtFirstViolation(false).withProgress((done, total) -> progress.add(done * 100 + total))
                .check(new RegisterModel(), h);
        assertThat(one.partitions()).extracting(PartitionResult::partition, PartitionResult::verdict)
                .isEqualTo(two.partitions().stream().map(p -> org.assertj.core.groups.Tuple.tuple(p.partition(),
                        p.verdict())).toList());
        assertThat(one.partitions(Verdict.ILLEGAL)).extracting(PartitionResult::partition)
                .containsExactly("k0", "k3", "k6");
        assertThat(progress).containsExactlyInAnyOrder(108, 208, 308, 408, 508, 608, 708, 808);
    }
}
