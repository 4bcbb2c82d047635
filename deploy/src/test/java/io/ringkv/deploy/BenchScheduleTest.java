package io.ringkv.deploy;

import org.junit.jupiter.api.Test;

import static io.ringkv.deploy.BenchCommand.skipWarmupBacklog;
import static org.assertj.core.api.Assertions.assertThat;

/** The fixed-rate schedule of {@code kv bench}: a warm-up backlog is dropped, a measured one is not. */
class BenchScheduleTest {

    private static final long INTERVAL = 10;
    private static final long WARMUP_END = 1_000;

    @Test
    void duringWarmUpEverySlotIsKeptHoweverLate() {
        assertThat(skipWarmupBacklog(100, INTERVAL, 900, WARMUP_END)).isEqualTo(100);
    }

    @Test
    void aClientStillBehindOnWarmUpSlotsWhenMeasuringStartsGoesOnFromTheFirstMeasuredSlot() {
        assertThat(skipWarmupBacklog(105, INTERVAL, 1_200, WARMUP_END)).as("same phase, first slot at or after the start")
                .isEqualTo(1_005);
        assertThat(skipWarmupBacklog(990, INTERVAL, 1_000, WARMUP_END)).isEqualTo(1_000);
    }

    @Test
    void slotsOfTheMeasuredWindowAreNeverSkipped() {
        assertThat(skipWarmupBacklog(1_005, INTERVAL, 5_000, WARMUP_END)).as("late, but measured: charged in full")
                .isEqualTo(1_005);
    }
}
