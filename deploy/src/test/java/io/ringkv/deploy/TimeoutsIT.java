package io.ringkv.deploy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** A SIGSTOP-paused replica never holds a request past its timeout; overload is refused, not queued. */
class TimeoutsIT {

    private static ClusterFixture fx;

    @BeforeAll
    static void startCluster() throws Exception {
        fx = ClusterFixture.start("timeouts", 3, 17470, "--n", "3", "--r", "2", "--w", "2", "--max-inflight", "8",
                "--failure-timeout-seconds", "30");
    }

    @AfterAll
    static void stopCluster() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aPausedReplicaDoesNotMakeRequestsWaitPastTheirTimeout() throws Exception {
        assertThat(fx.put(1, "/kv/paused?w=3", "v").statusCode()).isEqualTo(204);
        fx.node(3).pause();
        try {
            long start = System.nanoTime();
            HttpResponse<String> all = fx.get(1, "/kv/paused?r=3&timeout_ms=1000");
            long readMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(all.statusCode()).isEqualTo(503);
            assertThat(all.body()).contains("\"unavailable\"");
            assertThat(readMs).as("r=3 read with a paused replica took %d ms", readMs).isLessThan(2500);

            start = System.nanoTime();
            HttpResponse<String> write = fx.put(2, "/kv/paused-w?w=3&timeout_ms=1000&sloppy=false", "x");
            long writeMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(write.statusCode()).isEqualTo(503);
            assertThat(write.body()).contains("\"error\":\"unavailable\"");
            assertThat(writeMs).as("w=3 write with a paused replica took %d ms", writeMs).isLessThan(2500);
            // Unlike a write refused before sending (insufficient_replicas), this one stays where it got to:
            // for the client its outcome is unknown.
            assertThat(Replicas.valuesOn(fx, 1, "paused-w")).containsExactly("x");
            assertThat(Replicas.valuesOn(fx, 2, "paused-w")).containsExactly("x");

            // Quorums that do not need the paused replica are served at once.
            assertThat(fx.get(1, "/kv/paused?r=2&timeout_ms=1000").statusCode()).isEqualTo(200);
            assertThat(fx.put(2, "/kv/paused-w2?w=2&timeout_ms=1000", "y").statusCode()).isEqualTo(204);
        } finally {
            fx.node(3).resume();
        }
    }

    @Test
    void aNodeWithMoreRequestsThanItAcceptsAnswers503WithRetryAfter() {
        fx.node(3).pause();
        ExecutorService clients = Executors.newFixedThreadPool(30);
        try {
            List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                requests.add(CompletableFuture.supplyAsync(() -> fx.get(1, "/kv/busy?r=3&timeout_ms=2000"), clients));
            }
            List<HttpResponse<String>> overloaded = requests.stream().map(CompletableFuture::join)
                    .filter(r -> r.body().contains("\"overloaded\"")).toList();
            assertThat(overloaded).as("requests beyond --max-inflight 8 are refused").isNotEmpty();
            for (HttpResponse<String> r : overloaded) {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            }
        } finally {
            clients.shutdownNow();
            fx.node(3).resume();
        }
    }
}
