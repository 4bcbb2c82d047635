package io.ringkv.checker.dynamo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.ringkv.checker.Verdict;
import io.ringkv.checker.dynamo.ConvergenceChecker.Sample;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvergenceCheckerTest {

    private static final long MS = 1_000_000;
    private static final long HEAL = 1000 * MS;
    private static final List<String> THREE = List.of("n1", "n2", "n3");

    private static ConvergenceResult check(Map<String, List<String>> replicas, List<Sample> samples) {
        return ConvergenceChecker.check("convergence", replicas, samples, HEAL, Duration.ofSeconds(1));
    }

    @Test
    void replicasThatAgreeFromSomePointOnConverged() {
        ConvergenceResult r = check(Map.of("k", THREE), List.of(
                new Sample(HEAL - 5 * MS, "n1", "k", "old"), // before the heal: ignored
                new Sample(HEAL + 10 * MS, "n1", "k", "a"),
                new Sample(HEAL + 20 * MS, "n2", "k", "b"),
                new Sample(HEAL + 30 * MS, "n3", "k", "a"),
                new Sample(HEAL + 40 * MS, "n2", "k", "a"),  // agreement from here on
                new Sample(HEAL + 50 * MS, "n1", "k", "a"),
                new Sample(HEAL + 60 * MS, "n3", "k", "a")));
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.keys().get(0).took()).isEqualTo(Duration.ofMillis(40));
        assertThat(r.slowest()).isEqualTo(Duration.ofMillis(40));
        assertThat(r.summary()).startsWith("1 of 1 keys converged; slowest after 40 ms");
    }

    @Test
    void agreementThatBreaksAgainDoesNotCount() {
        ConvergenceResult r = check(Map.of("k", List.of("n1", "n2")), List.of(
                new Sample(HEAL + 10 * MS, "n1", "k", "a"),
                new Sample(HEAL + 20 * MS, "n2", "k", "a"),
                new Sample(HEAL + 30 * MS, "n1", "k", "b"),
                new Sample(HEAL + 40 * MS, "n2", "k", "b")));
        assertThat(r.keys().get(0).took()).isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void lateOrNeverIsIllegalAndTooShortASamplingIsUnknown() {
        Map<String, List<String>> replicas = new LinkedHashMap<>();
        for (String key : List.of("late", "never", "short")) {
            replicas.put(key, List.of("n1", "n2"));
        }
        List<Sample> samples = List.of(
                new Sample(HEAL + 10 * MS, "n1", "late", "a"),
                new Sample(HEAL + 20 * MS, "n2", "late", "b"),
                new Sample(HEAL + 2000 * MS, "n2", "late", "a"),
                new Sample(HEAL + 10 * MS, "n1", "never", "a"),
                new Sample(HEAL + 1500 * MS, "n2", "never", "b"),
                new Sample(HEAL + 10 * MS, "n1", "short", "a"),
                new Sample(HEAL + 20 * MS, "n2", "short", "b"));
        ConvergenceResult r = check(replicas, samples);
        assertThat(r.keys()).extracting(ConvergenceResult.KeyResult::key, ConvergenceResult.KeyResult::verdict)
                .containsExactly(tuple("late", Verdict.ILLEGAL), tuple("never", Verdict.ILLEGAL),
                        tuple("short", Verdict.UNKNOWN));
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.keys().get(0).took()).isEqualTo(Duration.ofMillis(2000));
        assertThat(r.keys().get(1).took()).isNull();
    }

    /** Planted anomaly: one replica kept an older state for good while the other two agree. */
    @Test
    void aDivergedReplicaIsCaught() {
        ConvergenceResult r = check(Map.of("k", THREE), List.of(
                new Sample(HEAL + 10 * MS, "n1", "k", "a"),
                new Sample(HEAL + 20 * MS, "n2", "k", "a"),
                new Sample(HEAL + 30 * MS, "n3", "k", "stale"),
                new Sample(HEAL + 1100 * MS, "n1", "k", "a"),
                new Sample(HEAL + 1110 * MS, "n2", "k", "a"),
                new Sample(HEAL + 1120 * MS, "n3", "k", "stale")));
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.keys().get(0).latest()).containsEntry("n3", "stale");
        assertThat(r.summary()).contains("1 keys did not converge in time");
    }

    @Test
    void aPrimaryThatDoesNotAnswerIsNotConvergedEvenWhenTheOthersAgree() {
        ConvergenceResult r = check(Map.of("k", THREE), List.of(
                new Sample(HEAL + 10 * MS, "n1", "k", "a"),
                new Sample(HEAL + 20 * MS, "n2", "k", "a"),
                Sample.noAnswer(HEAL + 30 * MS, "n3", "k"),
                new Sample(HEAL + 1100 * MS, "n1", "k", "a"),
                new Sample(HEAL + 1110 * MS, "n2", "k", "a"),
                Sample.noAnswer(HEAL + 1120 * MS, "n3", "k")));
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.keys().get(0).latest()).containsEntry("n3", "(no answer)");
    }

    @Test
    void aPrimaryNeverSampledKeepsTheKeyFromConverging() {
        ConvergenceResult r = check(Map.of("k", THREE), List.of(
                new Sample(HEAL + 10 * MS, "n1", "k", "a"),
                new Sample(HEAL + 20 * MS, "n2", "k", "a"),
                new Sample(HEAL + 1100 * MS, "n1", "k", "a")));
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.keys().get(0).took()).isNull();
    }

    @Test
    void silentReplicasNeverAgreeWithEachOther() {
        ConvergenceResult r = check(Map.of("k", List.of("n1", "n2")), List.of(
                Sample.noAnswer(HEAL + 10 * MS, "n1", "k"),
                Sample.noAnswer(HEAL + 20 * MS, "n2", "k"),
                Sample.noAnswer(HEAL + 1100 * MS, "n1", "k"),
                Sample.noAnswer(HEAL + 1110 * MS, "n2", "k")));
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
    }

    @Test
    void aKeyNeverSampledIsUnknownNotDropped() {
        ConvergenceResult r = check(Map.of("sampled", List.of("n1"), "forgotten", List.of("n1")), List.of(
                new Sample(HEAL + 10 * MS, "n1", "sampled", "a")));
        assertThat(r.keys()).extracting(ConvergenceResult.KeyResult::key).containsExactlyInAnyOrder("sampled", "forgotten");
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void nothingToCheckIsUnknownNeverOk() {
        ConvergenceResult r = check(Map.of(), List.of());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.summary()).contains("no keys to check");
    }

    /** A write acknowledged only by fallbacks is on no primary: primaries that agree have not converged yet. */
    @Test
    void nothingHasConvergedWhileANodeHoldsHints() {
        List<Sample> samples = List.of(
                new Sample(HEAL + 10 * MS, "n1", "k", "old"),
                new Sample(HEAL + 20 * MS, "n2", "k", "old"),
                new Sample(HEAL + 600 * MS, "n1", "k", "new"),
                new Sample(HEAL + 610 * MS, "n2", "k", "new"));
        List<ConvergenceChecker.HintSample> hints = List.of(
                new ConvergenceChecker.HintSample(HEAL + 5 * MS, "n1", 0L),
                new ConvergenceChecker.HintSample(HEAL + 6 * MS, "n3", 1L),   // a fallback holds the write
                new ConvergenceChecker.HintSample(HEAL + 595 * MS, "n1", 0L),
                new ConvergenceChecker.HintSample(HEAL + 596 * MS, "n3", 0L)); // handed off
        ConvergenceResult r = ConvergenceChecker.check("convergence", Map.of("k", List.of("n1", "n2")), samples, hints,
                HEAL, Duration.ofSeconds(1));
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.keys().get(0).took()).isEqualTo(Duration.ofMillis(610));
    }

    @Test
    void hintsThatAreNeverHandedOffOrANodeThatDoesNotSayKeepAKeyFromConverging() {
        List<Sample> samples = List.of(
                new Sample(HEAL + 10 * MS, "n1", "k", "a"),
                new Sample(HEAL + 20 * MS, "n2", "k", "a"),
                new Sample(HEAL + 1100 * MS, "n1", "k", "a"),
                new Sample(HEAL + 1110 * MS, "n2", "k", "a"));
        Map<String, List<String>> replicas = Map.of("k", List.of("n1", "n2"));
        ConvergenceResult held = ConvergenceChecker.check("convergence", replicas, samples, List.of(
                new ConvergenceChecker.HintSample(HEAL + 5 * MS, "n3", 2L),
                new ConvergenceChecker.HintSample(HEAL + 1090 * MS, "n3", 2L)), HEAL, Duration.ofSeconds(1));
        assertThat(held.verdict()).isEqualTo(Verdict.ILLEGAL);
        ConvergenceResult silent = ConvergenceChecker.check("convergence", replicas, samples, List.of(
                new ConvergenceChecker.HintSample(HEAL + 5 * MS, "n3", null),
                new ConvergenceChecker.HintSample(HEAL + 1090 * MS, "n3", null)), HEAL, Duration.ofSeconds(1));
        assertThat(silent.verdict()).isEqualTo(Verdict.ILLEGAL);
    }
}
