package io.ringkv.checker.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.Histories;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import io.ringkv.checker.linearizability.LinearizabilityChecker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KvModelTest {

    private static Verdict check(History h) {
        Verdict partitioned = LinearizabilityChecker.check(new KvModel(), h, Duration.ofSeconds(10)).verdict();
        Verdict whole = LinearizabilityChecker.check(new KvNoPartitionModel(), h, Duration.ofSeconds(10)).verdict();
        assertThat(partitioned).as("partitioning by key changes no verdict").isEqualTo(whole);
        return partitioned;
    }

    @Test
    void putAppendGet() {
        assertThat(check(Histories.builder()
                .ok(1, "put", "x", "a", null, 0, 10)
                .ok(1, "append", "x", "b", null, 20, 30)
                .ok(2, "get", "x", null, "ab", 40, 50)
                .ok(2, "get", "y", null, "", 60, 70)
                .build())).isEqualTo(Verdict.OK);
    }

    @Test
    void concurrentAppendsInEitherOrderButNotBoth() {
        assertThat(check(twoAppends().ok(3, "get", "x", null, "ba", 20, 30).build())).isEqualTo(Verdict.OK);
        assertThat(check(twoAppends().ok(3, "get", "x", null, "ab", 20, 30).build())).isEqualTo(Verdict.OK);
        assertThat(check(twoAppends().ok(3, "get", "x", null, "ab", 20, 30)
                .ok(3, "get", "x", null, "ba", 40, 50).build())).isEqualTo(Verdict.ILLEGAL);
    }

    @Test
    void anUnknownGetSaysNothing() {
        assertThat(check(Histories.builder()
                .ok(1, "put", "x", "a", null, 0, 10)
                .info(2, "get", "x", null, 20, 30)
                .build())).isEqualTo(Verdict.OK);
    }

    @Test
    void theStateHashFollowsAppends() {
        KvModel.Text t = KvModel.Text.of("ab").append("cd").append("");
        assertThat(t.hashCode()).isEqualTo("abcd".hashCode());
        assertThat(t).isEqualTo(KvModel.Text.of("abcd"));
    }

    private static Histories twoAppends() {
        return Histories.builder()
                .ok(1, "append", "x", "a", null, 0, 10)
                .ok(2, "append", "x", "b", null, 0, 10);
    }
}
