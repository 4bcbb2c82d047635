package io.ringkv.checker.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.Histories;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import io.ringkv.checker.linearizability.LinearizabilityChecker;
import io.ringkv.checker.linearizability.LinearizabilityResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiValueRegisterModelTest {

    private static LinearizabilityResult check(History h) {
        return LinearizabilityChecker.check(new MultiValueRegisterModel(), h, Duration.ofSeconds(10));
    }

    private static Map<String, Object> write(String value, String... seen) {
        return Map.of("value", value, "seen", List.of(seen));
    }

    private static Map<String, Object> read(String... values) {
        return Map.of("values", List.of(values));
    }

    /** Planted anomaly: a read that starts after a superseding write completed returns the old value. */
    @Test
    void aStaleReadIsCaught() {
        History h = Histories.builder()
                .ok(1, "write", "k", write("1-1"), null, 0, 10)
                .ok(2, "write", "k", write("2-1", "1-1"), null, 20, 30)
                .ok(3, "read", "k", null, read("1-1"), 40, 50)
                .build();
        LinearizabilityResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.partitions().get(0).unplaced().process()).isEqualTo(3);
    }

    @Test
    void anEmptyHistoryIsUndecidedNotLinearizable() {
        LinearizabilityResult r = check(Histories.builder().build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.summary()).isEqualTo("undecided: no operation to check");
    }

    @Test
    void concurrentWritesWithTheSameContextBecomeSiblings() {
        History h = Histories.builder()
                .ok(1, "write", "k", write("1-1"), null, 0, 10)
                .ok(2, "write", "k", write("2-1", "1-1"), null, 20, 30)
                .ok(3, "write", "k", write("3-1", "1-1"), null, 20, 30)
                .ok(4, "read", "k", null, read("3-1", "2-1"), 40, 50)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void aWriteThatSawEverySiblingReplacesThemAll() {
        History h = Histories.builder()
                .ok(1, "write", "k", write("1-1"), null, 0, 10)
                .ok(2, "write", "k", write("2-1"), null, 0, 10)
                .ok(3, "read", "k", null, read("1-1", "2-1"), 20, 30)
                .ok(3, "write", "k", write("3-1", "1-1", "2-1"), null, 40, 50)
                .ok(4, "read", "k", null, read("3-1"), 60, 70)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void aSiblingSilentlyDroppedIsALostWrite() {
        History h = Histories.builder()
                .ok(1, "write", "k", write("1-1"), null, 0, 10)
                .ok(2, "write", "k", write("2-1"), null, 20, 30) // its context did not see 1-1
                .ok(3, "read", "k", null, read("2-1"), 40, 50)
                .build();
        LinearizabilityResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.partitions().get(0).linearization()).extracting(s -> s.stateAfter())
                .containsExactly("{1-1}", "{1-1, 2-1}");
        assertThat(r.partitions().get(0).describe(r.partitions().get(0).unplaced())).isEqualTo("read() -> {2-1}");
    }

    @Test
    void aDeleteRemovesWhatItsContextSawAndNothingElse() {
        History h = Histories.builder()
                .ok(1, "write", "k", write("1-1"), null, 0, 10)
                .ok(2, "delete", "k", Map.of("seen", List.of("1-1")), null, 20, 30)
                .ok(3, "read", "k", null, read(), 40, 50)
                .ok(4, "write", "k", write("4-1"), null, 60, 70)
                .ok(5, "delete", "k", Map.of("seen", List.of("1-1")), null, 80, 90)
                .ok(3, "read", "k", null, read("4-1"), 100, 110)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void readsOfUnknownWritesAndUnknownReads() {
        History h = Histories.builder()
                .info(1, "write", "k", write("1-1"), 0, 10)
                .info(2, "read", "k", null, 5, 15)
                .ok(3, "read", "k", null, read(), 20, 30)
                .ok(3, "read", "k", null, Map.of("values", List.of("1-1")), 40, 50)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void keysArePartitions() {
        History h = Histories.builder()
                .ok(1, "write", "a", write("1-1"), null, 0, 10)
                .ok(2, "read", "b", null, read(), 20, 30)
                .ok(3, "read", "a", null, read("1-1"), 20, 30)
                .build();
        LinearizabilityResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.partitions()).hasSize(2);
    }

    @Test
    void valueSetsAreSetsInAnyOrder() {
        assertThat(ValueSet.of("b", "a", "b")).isEqualTo(ValueSet.of("a", "b"));
        assertThat(ValueSet.of("a", "b").minus(ValueSet.of("a", "c")).plus("d")).isEqualTo(ValueSet.of("d", "b"));
        assertThat(ValueSet.of("a").minus(ValueSet.of("a"))).isSameAs(ValueSet.EMPTY);
        assertThat(ValueSet.of("a", "c").plus("b").values()).containsExactly("a", "b", "c");
        assertThat(ValueSet.of("x").toString()).isEqualTo("{x}");
    }
}
