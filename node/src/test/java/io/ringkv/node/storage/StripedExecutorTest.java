package io.ringkv.node.storage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class StripedExecutorTest {

    /** Records what the executor does with it; touched only by the stripe's thread. */
    static final class Recording implements StripedExecutor.Group {
        final List<String> events = new ArrayList<>();
        volatile int commits;
        String failNextCommit;

        @Override
        public void begin() {
            events.add("begin");
        }

        @Override
        public void rollback() {
            events.add("rollback");
        }

        @Override
        public void commit() {
            events.add("commit");
            if (failNextCommit != null) {
                String message = failNextCommit;
                failNextCommit = null;
                throw new StoreException(message);
            }
            commits++;
        }
    }

    /** Occupies the single stripe until {@code release} opens, so that what is submitted meanwhile queues up. */
    private static CompletableFuture<String> occupy(StripedExecutor<Recording> stripes, CountDownLatch release) {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> busy = stripes.submit("k", g -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "busy";
        });
        await().atMost(10, TimeUnit.SECONDS).until(() -> started.getCount() == 0);
        return busy;
    }

    @Test
    void workQueuedTogetherSharesOneCommitAndIsAnsweredOnlyAfterIt() {
        Recording group = new Recording();
        try (StripedExecutor<Recording> stripes = new StripedExecutor<>("test", 1, 100, () -> group)) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> busy = occupy(stripes, release);
            List<CompletableFuture<Integer>> queued = new ArrayList<>();
            List<Integer> commitsWhenAnswered = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 5; i++) {
                CompletableFuture<Integer> f = stripes.submit("k" + i, g -> g.commits);
                f.thenAccept(seen -> commitsWhenAnswered.add(group.commits));
                queued.add(f);
            }
            release.countDown();
            assertThat(busy.join()).isEqualTo("busy");
            assertThat(queued).allSatisfy(f -> assertThat(f.join()).as("ran after the first group's commit").isEqualTo(1));
            assertThat(group.commits).as("one commit for the blocker, one for the five queued behind it").isEqualTo(2);
            await().atMost(10, TimeUnit.SECONDS).until(() -> commitsWhenAnswered.size() == 5);
            assertThat(commitsWhenAnswered).containsOnly(2);
            assertThat(group.events).containsExactly("begin", "commit", "begin", "begin", "begin", "begin", "begin", "commit");
        }
    }

    @Test
    void aFailedTaskIsRolledBackAndFailsAloneButAFailedCommitFailsItsWholeGroup() {
        Recording group = new Recording();
        try (StripedExecutor<Recording> stripes = new StripedExecutor<>("test", 1, 100, () -> group)) {
            CountDownLatch release = new CountDownLatch(1);
            occupy(stripes, release);
            CompletableFuture<String> ok = stripes.submit("a", g -> "ok");
            CompletableFuture<String> bad = stripes.submit("b", g -> {
                throw new IllegalStateException("bad task");
            });
            release.countDown();
            assertThat(ok.join()).isEqualTo("ok");
            assertThatThrownBy(bad::join).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("bad task");
            assertThat(group.events).containsSubsequence("begin", "begin", "rollback", "commit");

            CountDownLatch again = new CountDownLatch(1);
            occupy(stripes, again);
            CompletableFuture<String> first = stripes.submit("c", g -> {
                g.failNextCommit = "disk full";
                return "c";
            });
            CompletableFuture<String> second = stripes.submit("d", g -> "d");
            again.countDown();
            assertThatThrownBy(first::join).hasCauseInstanceOf(StoreException.class).hasMessageContaining("disk full");
            assertThatThrownBy(second::join).hasCauseInstanceOf(StoreException.class).hasMessageContaining("disk full");
            assertThat(stripes.submit("e", g -> "e").join()).as("the stripe goes on").isEqualTo("e");
        }
    }

    @Test
    void workSubmittedAfterCommitRunsOnlyOnceEverythingBeforeItIsCommitted() {
        Recording group = new Recording();
        try (StripedExecutor<Recording> stripes = new StripedExecutor<>("test", 1, 100, () -> group)) {
            CountDownLatch release = new CountDownLatch(1);
            occupy(stripes, release);
            CompletableFuture<Integer> before = stripes.submit("a", g -> g.commits);
            CompletableFuture<Integer> barrier = stripes.submitAfterCommit("a", g -> g.commits);
            CompletableFuture<Integer> after = stripes.submit("a", g -> g.commits);
            release.countDown();
            assertThat(before.join()).isEqualTo(1);
            assertThat(barrier.join()).as("the blocker's and the earlier task's commits are done").isEqualTo(2);
            assertThat(after.join()).as("grouped with the barrier, after it").isEqualTo(2);
            assertThat(group.commits).isEqualTo(3);
        }
    }

    @Test
    void aFullQueueRefusesAndCloseRunsWhatIsQueuedThenRefusesMore() {
        Recording group = new Recording();
        StripedExecutor<Recording> stripes = new StripedExecutor<>("test", 1, 2, () -> group);
        CountDownLatch release = new CountDownLatch(1);
        occupy(stripes, release);
        CompletableFuture<String> a = stripes.submit("a", g -> "a");
        CompletableFuture<String> b = stripes.submit("b", g -> "b");
        assertThat(stripes.backlog()).isEqualTo(3);
        assertThatThrownBy(() -> stripes.submit("c", g -> "c").join()).hasCauseInstanceOf(OverloadedException.class);
        release.countDown();
        stripes.close();
        assertThat(a.join() + b.join()).isEqualTo("ab");
        assertThatThrownBy(() -> stripes.submit("d", g -> "d").join())
                .hasCauseInstanceOf(StoreException.class).hasMessageContaining("closed");
    }
}
