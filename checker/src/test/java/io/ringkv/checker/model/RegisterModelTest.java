package io.ringkv.checker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.checker.Histories;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import io.ringkv.checker.linearizability.LinearizabilityChecker;
import io.ringkv.checker.linearizability.LinearizabilityResult;
import io.ringkv.checker.linearizability.PartitionResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegisterModelTest {

    private static LinearizabilityResult check(History h) {
        return LinearizabilityChecker.check(new RegisterModel(), h, Duration.ofSeconds(10));
    }

    @Test
    void anEmptyHistoryIsUndecided() {
        LinearizabilityResult r = check(Histories.builder().build());
        assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.partitions()).isEmpty();
    }

    @Test
    void sequentialWriteThenRead() {
        History h = Histories.builder()
                .ok(1, "write", null, 1, null, 0, 10)
                .ok(2, "read", null, null, 1, 20, 30)
                .build();
        LinearizabilityResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.partitions().get(0).linearization()).extracting(PartitionResult.Step::stateAfter)
                .containsExactly("1", "1");
    }

    @Test
    void aStaleReadIsReportedWithTheLongestPrefixAndTheOperationThatCannotBePlaced() {
        History h = Histories.builder()
                .ok(1, "write", null, 1, null, 0, 10)
                .ok(1, "write", null, 2, null, 20, 30)
                .ok(2, "read", null, null, 1, 40, 50)
                .build();
        LinearizabilityResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        PartitionResult p = r.partitions().get(0);
        assertThat(p.linearization()).extracting(s -> s.operation().input()).containsExactly(1L, 2L);
        assertThat(p.unplaced()).isEqualTo(h.operations().get(2));
        assertThat(p.describe(p.unplaced())).isEqualTo("read() -> 1");
        assertThat(r.summary()).contains("after 2 operations, read() -> 1 by process 2 cannot take effect");
    }

    @Test
    void concurrentOperationsMayTakeEffectInEitherOrder() {
        History h = Histories.builder()
                .ok(1, "write", null, 1, null, 0, 100)
                .ok(2, "read", null, null, null, 10, 20) // read nil before the write took effect
                .ok(3, "read", null, null, 1, 30, 40)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void operationsThatTouchAtAnInstantAreConcurrent() {
        History h = Histories.builder()
                .ok(1, "write", null, 1, null, 0, 10)
                .ok(2, "read", null, null, null, 10, 20)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void anUnknownWriteMayTakeEffectAfterItsClientGaveUp() {
        History h = Histories.builder()
                .info(1, "write", null, 1, 0, 10)
                .ok(2, "read", null, null, null, 20, 30)
                .ok(3, "read", null, null, 1, 40, 50)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void anUnknownWriteMayNeverTakeEffect() {
        History h = Histories.builder()
                .ok(1, "write", null, 1, null, 0, 10)
                .info(2, "write", null, 2, 20, 30)
                .open(4, "write", null, 3, 35)
                .ok(3, "read", null, null, 1, 40, 50)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void anUnknownWriteCannotTakeEffectBeforeItWasInvoked() {
        History h = Histories.builder()
                .ok(3, "read", null, null, 1, 0, 10)
                .info(1, "write", null, 1, 20, 30)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.ILLEGAL);
    }

    @Test
    void aFailedWriteDidNotHappen() {
        History h = Histories.builder()
                .fail(1, "write", null, 1, 0, 10)
                .ok(2, "read", null, null, 1, 20, 30)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.ILLEGAL);
    }

    @Test
    void compareAndSetSucceedsOnlyOnAMatch() {
        assertThat(check(Histories.builder().ok(1, "write", null, 1, null, 0, 10)
                .ok(1, "cas", null, List.of(1, 2), true, 20, 30)
                .ok(2, "read", null, null, 2, 40, 50).build()).verdict()).isEqualTo(Verdict.OK);
        assertThat(check(Histories.builder().ok(1, "write", null, 1, null, 0, 10)
                .ok(1, "cas", null, List.of(3, 2), true, 20, 30).build()).verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(check(Histories.builder().ok(1, "write", null, 1, null, 0, 10)
                .ok(1, "cas", null, List.of(1, 2), false, 20, 30).build()).verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(check(Histories.builder().ok(1, "write", null, 1, null, 0, 10)
                .info(1, "cas", null, List.of(1, 2), 20, 30)
                .ok(2, "read", null, null, 2, 40, 50).build()).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void eachKeyIsItsOwnRegisterAndPartition() {
        History h = Histories.builder()
                .ok(1, "write", "a", 1, null, 0, 10)
                .ok(2, "write", "b", 2, null, 0, 10)
                .ok(3, "read", "a", null, 1, 20, 30)
                .ok(4, "read", "b", null, 1, 20, 30)
                .build();
        LinearizabilityResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.ILLEGAL);
        assertThat(r.partitions()).extracting(PartitionResult::partition, PartitionResult::verdict)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", Verdict.OK),
                        org.assertj.core.groups.Tuple.tuple("b", Verdict.ILLEGAL));
    }

    @Test
    void operationsOfAnotherModelAreRefusedNamingTheOperation() {
        History h = Histories.builder().ok(1, "add", "s", "x", null, 0, 10).build();
        assertThatThrownBy(() -> check(h)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("process 1 add s at 0").hasMessageContaining("read, write and cas");
        History bad = Histories.builder().ok(1, "cas", null, List.of(1), true, 0, 10).build();
        assertThatThrownBy(() -> check(bad)).hasMessageContaining("cas value must be [expected, new]");
    }
}
