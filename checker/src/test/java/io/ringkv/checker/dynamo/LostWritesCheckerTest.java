package io.ringkv.checker.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.Histories;
import io.ringkv.checker.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class LostWritesCheckerTest {

    @Test
    void everyAcknowledgedElementInTheFinalReadIsOk() {
        LostWritesResult r = LostWritesChecker.check(Histories.builder()
                .ok(1, "add", "s0", "1-1", null, 0, 10)
                .ok(2, "add", "s0", "2-1", null, 5, 15)
                .ok(0, "final-read", "s0", null, List.of("2-1", "1-1"), 100, 110)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.acknowledged()).isEqualTo(2);
        assertThat(r.summary()).isEqualTo("2 of 2 adds acknowledged in 1 keys; lost 0, unexpected 0, recovered 0");
    }

    @Test
    void countsLostUnexpectedAndRecovered() {
        LostWritesResult r = LostWritesChecker.check(Histories.builder()
                .ok(1, "add", "s0", "1-1", null, 0, 10)
                .ok(1, "add", "s0", "1-2", null, 20, 30)   // lost
                .info(2, "add", "s0", "2-1", 0, 50)          // recovered
                .info(3, "add", "s0", "3-1", 0, 50)          // unknown and absent: fine
                .fail(4, "add", "s0", "4-1", 0, 50)          // failed yet present: unexpected
                .ok(0, "final-read", "s0", null, List.of("1-1", "2-1", "4-1", "9-9"), 100, 110)
                .ok(1, "add", "s1", "1-3", null, 40, 45)
                .ok(6, "final-read", "s1", null, List.of("1-3"), 100, 110)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.unexpected()).isEqualTo(2);
        assertThat(r.recovered()).isEqualTo(1);
        LostWritesResult.KeyResult s0 = r.keys().get(0);
        assertThat(s0.lost()).containsExactly("1-2");
        assertThat(s0.unexpected()).containsExactly("4-1", "9-9");
        assertThat(s0.recovered()).containsExactly("2-1");
        assertThat(r.keys().get(1).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void aKeyWithoutAFinalReadIsUnknown() {
        LostWritesResult r = LostWritesChecker.check(Histories.builder()
                .ok(1, "add", "s0", "1-1", null, 0, 10)
                .info(0, "final-read", "s0", null, 100, 110)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.summary()).endsWith("1 keys have no final read");
    }

    @Test
    void everyFinalReadOfAKeyMustHoldTheAcknowledgedElements() {
        LostWritesResult r = LostWritesChecker.check(Histories.builder()
                .ok(1, "add", "s0", "1-1", null, 0, 10)
                .ok(0, "final-read", "s0", null, List.of("1-1"), 100, 110)
                .ok(5, "final-read", "s0", null, List.of(), 100, 110)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.keys().get(0).lost()).containsExactly("1-1");
    }

    @Test
    void anEmptyHistoryShowsNothingAndIsUnknown() {
        assertThat(LostWritesChecker.check(Histories.builder().build()).verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void withoutAnAcknowledgedAddNothingCouldBeLostSoItIsUnknown() {
        LostWritesResult r = LostWritesChecker.check(Histories.builder()
                .info(1, "add", "s0", "1-1", 0, 10)
                .fail(2, "add", "s0", "2-1", 0, 10)
                .ok(0, "final-read", "s0", null, List.of("1-1"), 100, 110)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.summary()).endsWith("no add was acknowledged, so none could be lost");
    }

    @Test
    void anUnexpectedElementIsIllegalEvenWithoutAcknowledgedAdds() {
        LostWritesResult r = LostWritesChecker.check(Histories.builder()
                .fail(2, "add", "s0", "2-1", 0, 10)
                .ok(0, "final-read", "s0", null, List.of("2-1"), 100, 110)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
    }
}
