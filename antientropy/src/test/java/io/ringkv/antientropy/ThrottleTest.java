package io.ringkv.antientropy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottleTest {

    private static final long MS = 1_000_000;

    @Test
    void spendsAtTheConfiguredRateAndPaysAfterTheFact() {
        Throttle t = new Throttle(1000, 0, 0);

        assertThat(t.reserve(500, 0)).isZero();
        assertThat(t.reserve(1, 0)).isEqualTo(500 * MS);
        assertThat(t.reserve(1, 600 * MS)).isZero();
    }

    @Test
    void idleTimeBuysAtMostTheBurst() {
        Throttle t = new Throttle(1000, 100, 0);

        assertThat(t.reserve(300, 10_000 * MS)).isZero();
        // 100 ms of credit covered 100 of the 300 permits; the other 200 take 200 ms.
        assertThat(t.reserve(1, 10_000 * MS)).isEqualTo(200 * MS);
    }
}
