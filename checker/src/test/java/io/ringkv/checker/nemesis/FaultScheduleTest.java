package io.ringkv.checker.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    private static final FaultSchedule.Range FAULT = new FaultSchedule.Range(Duration.ofSeconds(5), Duration.ofSeconds(10));
    private static final FaultSchedule.Range HEAL = new FaultSchedule.Range(Duration.ofSeconds(3), Duration.ofSeconds(6));
    private static final List<NemesisKind> ALL = List.of(NemesisKind.values());

    @Test
    void theSameSeedGivesTheSameSchedule() {
        FaultSchedule a = FaultSchedule.plan(42, Duration.ofMinutes(2), ALL, FAULT, HEAL);
        FaultSchedule b = FaultSchedule.plan(42, Duration.ofMinutes(2), ALL, FAULT, HEAL);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(FaultSchedule.plan(43, Duration.ofMinutes(2), ALL, FAULT, HEAL));
    }

    @Test
    void noNemesisMeansNoFaults() {
        assertThat(FaultSchedule.plan(1, Duration.ofMinutes(2), List.of(), FAULT, HEAL).periods()).isEmpty();
    }

    @Test
    void aRunTooShortForOneFaultHasNone() {
        assertThat(FaultSchedule.plan(1, Duration.ofSeconds(7), ALL, FAULT, HEAL).periods()).isEmpty();
    }

    @Test
    void aRangeNeedsPositiveOrderedBounds() {
        assertThatThrownBy(() -> new FaultSchedule.Range(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultSchedule.Range(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 200)
    void faultsAlternateWithHealPeriodsWithinTheTimeLimit(@ForAll long seed, @ForAll @IntRange(min = 1, max = 600) int seconds,
                                                          @ForAll @LongRange(min = 1, max = 3) long kindCount) {
        Duration limit = Duration.ofSeconds(seconds);
        List<NemesisKind> kinds = ALL.subList(0, (int) kindCount);
        FaultSchedule s = FaultSchedule.plan(seed, limit, kinds, FAULT, HEAL);
        Duration previousEnd = Duration.ZERO;
        for (FaultSchedule.Period p : s.periods()) {
            Duration gap = p.start().minus(previousEnd);
            assertThat(gap).isBetween(HEAL.min(), HEAL.max());
            assertThat(p.end().minus(p.start())).isBetween(FAULT.min(), FAULT.max());
            assertThat(p.end()).isLessThanOrEqualTo(limit);
            assertThat(kinds).contains(p.kind());
            previousEnd = p.end();
        }
        // Kinds take turns: every window of |kinds| consecutive faults starting a round has each kind once.
        for (int round = 0; round + kinds.size() <= s.periods().size(); round += kinds.size()) {
            assertThat(s.periods().subList(round, round + kinds.size()).stream().map(FaultSchedule.Period::kind))
                    .containsExactlyInAnyOrderElementsOf(kinds);
        }
    }
}
