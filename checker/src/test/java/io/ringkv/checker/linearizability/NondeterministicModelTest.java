package io.ringkv.checker.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.Histories;
import io.ringkv.checker.Verdict;
import io.ringkv.checker.history.History;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NondeterministicModelTest {

    private static LinearizabilityResult check(History h) {
        return LinearizabilityChecker.check(new PickModel(), h, Duration.ofSeconds(10));
    }

    @Test
    void triesEverySuccessorState() {
        History h = Histories.builder()
                .ok(1, "pick", null, List.of(1, 2, 3), null, 0, 10)
                .ok(2, "read", null, null, 3, 20, 30)
                .build();
        LinearizabilityResult r = check(h);
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.partitions().get(0).linearization()).extracting(PartitionResult.Step::stateAfter)
                .containsExactly("3", "3");
    }

    @Test
    void oneChoiceHoldsForTheRestOfTheHistory() {
        History h = Histories.builder()
                .ok(1, "pick", null, List.of(1, 2), null, 0, 10)
                .ok(2, "read", null, null, 1, 20, 30)
                .ok(2, "read", null, null, 2, 40, 50)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.ILLEGAL);
    }

    @Test
    void backtracksIntoAnEarlierChoiceAfterLaterOnesFail() {
        // Only the second choice of each pick explains the reads: the search must come back to the
        // first pick after the first choice fails at the first read.
        History h = Histories.builder()
                .ok(1, "pick", null, List.of(1, 2), null, 0, 10)
                .ok(2, "read", null, null, 2, 20, 30)
                .ok(1, "pick", null, List.of(4, 5), null, 40, 50)
                .ok(2, "read", null, null, 5, 60, 70)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void anUnknownPickMayHappenLateOrNever() {
        History h = Histories.builder()
                .info(1, "pick", null, List.of(7, 8), 0, 10)
                .ok(2, "read", null, null, 0, 20, 30)
                .ok(2, "read", null, null, 8, 40, 50)
                .build();
        assertThat(check(h).verdict()).isEqualTo(Verdict.OK);
    }
}
