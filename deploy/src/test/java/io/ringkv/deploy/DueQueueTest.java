package io.ringkv.deploy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue of fixed-rate {@code kv bench} clients waiting for their slots. */
class DueQueueTest {

    private final DueQueue queue = new DueQueue();
    private final List<String> started = new ArrayList<>();

    @Test
    void startsOnlyWhatIsDueEarliestFirstAndTiesInTheOrderQueued() {
        queue.add(30, () -> started.add("c"));
        queue.add(10, () -> started.add("a"));
        queue.add(20, () -> started.add("b1"));
        queue.add(20, () -> started.add("b2"));

        assertThat(queue.startDue(9)).isZero();
        assertThat(queue.startDue(20)).isEqualTo(3);
        assertThat(started).containsExactly("a", "b1", "b2");
        assertThat(queue.size()).isOne();
        assertThat(queue.startDue(30)).isOne();
        assertThat(started).containsExactly("a", "b1", "b2", "c");
    }

    @Test
    void aClientQueuedAgainWhileStartingWaitsForTheNextTick() {
        queue.add(5, () -> {
            started.add("first");
            queue.add(5, () -> started.add("again"));
        });

        assertThat(queue.startDue(10)).isOne();
        assertThat(started).containsExactly("first");
        assertThat(queue.startDue(10)).isOne();
        assertThat(started).containsExactly("first", "again");
    }

    @Test
    void atTheEndEveryClientIsStartedDueOrNot() {
        queue.add(Long.MAX_VALUE - 1, () -> started.add("far"));
        queue.add(100, () -> started.add("near"));

        assertThat(queue.startAll()).isEqualTo(2);
        assertThat(started).containsExactly("near", "far");
        assertThat(queue.size()).isZero();
    }
}
