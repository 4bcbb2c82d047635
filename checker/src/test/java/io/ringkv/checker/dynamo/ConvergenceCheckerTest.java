package io.ringkv.checker.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.Verdict;
import io.ringkv.checker.dynamo.ConvergenceChecker.Sample;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvergenceCheckerTest {

    private static final long MS = 1_000_000;
    private static final long HEAL = 1000 * MS;

    @Test
    void replicasThatAgreeFromSomePointOnConverged() {
        ConvergenceResult r = ConvergenceChecker.check(List.of(
                new Sample(HEAL - 5 * MS, "n1", "k", "old"), // before the heal: ignored
                new Sample(HEAL + 10 * MS, "n1", "k", "a"),
                new Sample(HEAL + 20 * MS, "n2", "k", "b"),
                new Sample(HEAL + 30 * MS, "n3", "k", "a"),
                new Sample(HEAL + 40 * MS, "n2", "k", "a"),  // agreement from here on
                new Sample(HEAL + 50 * MS, "n1", "k", "a"),
                new Sample(HEAL + 60 * MS, "n3", "k", "a")), HEAL, Duration.ofSeconds(1));
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.keys().get(0).took()).isEqualTo(Duration.ofMillis(40));
        assertThat(r.slowest()).isEqualTo(Duration.ofMillis(40));
        assertThat(r.summary()).startsWith("1 of 1 keys converged; slowest after 40 ms");
    }

    @Test
    void agreementThatBreaksAgainDoesNotCount() {
        ConvergenceResult r = ConvergenceChecker.check(List.of(
                new Sample(HEAL + 10 * MS, "n1", "k", "a"),
                new Sample(HEAL + 20 * MS, "n2", "k", "a"),
                new Sample(HEAL + 30 * MS, "n1", "k", "b"),
                new Sample(HEAL + 40 * MS, "n2", "k", "b")), HEAL, Duration.ofSeconds(1));
        assertThat(r.keys().get(0).took()).isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void lateOrNeverIsIllegalAndTooShortASamplingIsUnknown() {
        List<Sample> samples = List.of(
                new Sample(HEAL + 10 * MS, "n1", "late", "a"),
                new Sample(HEAL + 20 * MS, "n2", "late", "b"),
                new Sample(HEAL + 2000 * MS, "n2", "late", "a"),
                new Sample(HEAL + 10 * MS, "n1", "never", "a"),
                new Sample(HEAL + 1500 * MS, "n2", "never", "b"),
                new Sample(HEAL + 10 * MS, "n1", "short", "a"),
                new Sample(HEAL + 20 * MS, "n2", "short", "b"));
        ConvergenceResult r = ConvergenceChecker.check(samples, HEAL, Duration.ofSeconds(1));
        assertThat(r.keys()).extracting(ConvergenceResult.KeyResult::key, ConvergenceResult.KeyResult::verdict)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("late", Verdict.ILLEGAL),
                        org.assertj.core.groups.Tuple.tuple("never", Verdict.ILLEGAL),
                        org.assertj.core.groups.Tuple.tuple("short", Verdict.UNKNOWN));
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.keys().get(0).took()).isEqualTo(Duration.ofMillis(2000));
        assertThat(r.keys().get(1).took()).isNull();
    }
}
