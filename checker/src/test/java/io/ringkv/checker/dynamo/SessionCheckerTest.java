package io.ringkv.checker.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.Histories;
import io.ringkv.checker.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionCheckerTest {

    private static Map<String, Object> write(String value, String... seen) {
        return Map.of("value", value, "seen", List.of(seen));
    }

    private static Map<String, Object> read(String... values) {
        return Map.of("values", List.of(values));
    }

    @Test
    void aClientSeesItsWritesOrWhatSupersedesThem() {
        SessionResult r = SessionChecker.check(Histories.builder()
                .ok(1, "write", "k", write("1-1"), null, 0, 10)
                .ok(1, "read", "k", null, read("1-1"), 20, 30)
                .ok(2, "write", "k", write("2-1", "1-1"), null, 40, 50)
                .ok(3, "write", "k", write("3-1", "2-1"), null, 60, 70)
                .ok(1, "read", "k", null, read("3-1"), 80, 90) // 1-1 superseded through 2-1
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.reads()).isEqualTo(2);
    }

    @Test
    void readYourWritesViolation() {
        SessionResult r = SessionChecker.check(Histories.builder()
                .ok(1, "write", "k", write("1-1"), null, 0, 10)
                .ok(1, "read", "k", null, read(), 20, 30)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.violations()).extracting(SessionResult.Violation::guarantee, SessionResult.Violation::missing)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("read-your-writes", "1-1"));
        assertThat(r.count("read-your-writes")).isEqualTo(1);
    }

    @Test
    void monotonicReadsViolation() {
        SessionResult r = SessionChecker.check(Histories.builder()
                .ok(2, "write", "k", write("2-1"), null, 0, 10)
                .ok(1, "read", "k", null, read("2-1"), 20, 30)
                .ok(1, "read", "k", null, read(), 40, 50)
                .ok(1, "read", "other", null, read(), 60, 70)
                .build());
        assertThat(r.violations()).extracting(SessionResult.Violation::guarantee)
                .containsExactly("monotonic-reads");
        assertThat(r.sessions()).isEqualTo(3);
    }

    @Test
    void aDeleteThatSawTheValueExcusesItsAbsence() {
        SessionResult r = SessionChecker.check(Histories.builder()
                .ok(1, "write", "k", write("1-1"), null, 0, 10)
                .ok(2, "delete", "k", Map.of("seen", List.of("1-1")), null, 15, 18)
                .ok(1, "read", "k", null, read(), 20, 30)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void aValueMissedByAConcurrentWritersContextMustStay() {
        SessionResult r = SessionChecker.check(Histories.builder()
                .ok(1, "write", "k", write("1-1"), null, 0, 10)
                .ok(2, "write", "k", write("2-1"), null, 20, 30) // did not see 1-1: both are siblings
                .ok(1, "read", "k", null, read("2-1"), 40, 50)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
    }

    @Test
    void failedAndUnknownOperationsRequireNothing() {
        SessionResult r = SessionChecker.check(Histories.builder()
                .ok(1, "write", "k", write("0-1"), null, 0, 5)
                .info(1, "write", "k", write("1-1", "0-1"), 6, 10)
                .fail(1, "write", "k", write("1-2", "0-1"), 12, 15)
                .ok(1, "read", "k", null, read("0-1"), 20, 30)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.reads()).isEqualTo(1);
    }

    @Test
    void aValueOfTheSameNameOnAnotherKeyDoesNotSupersede() {
        SessionResult r = SessionChecker.check(Histories.builder()
                .ok(1, "write", "k", write("x"), null, 0, 10)
                .ok(3, "write", "k", write("y"), null, 20, 30)          // concurrent with x on k
                .ok(2, "write", "other", write("y", "x"), null, 40, 50) // saw an x, but on another key
                .ok(1, "read", "k", null, read("y"), 60, 70)            // x is gone from k: a violation
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.violations()).extracting(SessionResult.Violation::missing).containsExactly("x");
    }

    @Test
    void withoutACompletedReadNothingIsShownAndItIsUnknown() {
        SessionResult r = SessionChecker.check(Histories.builder()
                .ok(1, "write", "k", write("1-1"), null, 0, 10)
                .info(1, "read", "k", null, 20, 30)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(SessionChecker.check(Histories.builder().build()).verdict()).isEqualTo(Verdict.UNKNOWN);
    }

    @Test
    void readsWithNothingToKeepSeeingCheckNothing() {
        SessionResult r = SessionChecker.check(Histories.builder()
                .info(1, "write", "k", write("1-1"), 0, 10)
                .ok(1_000_000, "read", "k", null, read("1-1"), 20, 30) // a final read: a session of its own
                .ok(2, "read", "k", null, read("1-1"), 40, 50)
                .build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.reads()).isZero();
    }
}
