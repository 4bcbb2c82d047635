package io.ringkv.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.ringkv.client.CausalContext;
import io.ringkv.client.GetResult;
import io.ringkv.client.KvClient;
import io.ringkv.client.KvException;
import io.ringkv.client.ReadOptions;
import io.ringkv.client.Sibling;
import io.ringkv.client.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@link KvClient} against a real 3-node cluster (n=3 r=2 w=2): what it makes of the answers real
 * nodes give, the errors above all, since the fault-injection harness judges every operation by them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientIT {

    private static final int MAX_VALUE_BYTES = 1024;
    private static final String TEXT = "text/plain; charset=utf-8";
    /** A quorum of every replica, with no fallback standing in for a missing one. */
    private static final ReadOptions ALL_READ = ReadOptions.defaults().withR(3).withSloppy(false)
            .withTimeout(Duration.ofSeconds(1));
    private static final WriteOptions ALL_WRITE = WriteOptions.defaults().withW(3).withSloppy(false)
            .withTimeout(Duration.ofSeconds(1));

    private static ClusterFixture fx;

    @BeforeAll
    static void startCluster() throws Exception {
        // A long failure timeout: a paused replica stays a live member while a request waits for it.
        fx = ClusterFixture.start("client", 3, 18470, "--n", "3", "--r", "2", "--w", "2",
                "--max-value-bytes", String.valueOf(MAX_VALUE_BYTES), "--failure-timeout-seconds", "15");
    }

    @AfterAll
    static void stopCluster() {
        if (fx != null) {
            fx.close();
        }
    }

    private static KvException failure(ThrowingCallable call) {
        KvException e = catchThrowableOfType(KvException.class, call);
        assertThat(e).as("a KvException").isNotNull();
        return e;
    }

    private static Sibling text(String value) {
        return new Sibling(value.getBytes(StandardCharsets.UTF_8), TEXT);
    }

    @Test
    void siblingsOfTwoBlindPutsRoundTripAndAPutWithTheReadsContextCollapsesThem() {
        try (KvClient left = fx.client(1); KvClient right = fx.client(2); KvClient reader = fx.client(3)) {
            left.put("cart", "apples", CausalContext.none());
            right.put("cart", "pears", CausalContext.none());

            GetResult both = reader.get("cart");
            assertThat(both.hasSiblings()).isTrue();
            assertThat(both.siblings()).containsExactlyInAnyOrder(text("apples"), text("pears"));
            assertThat(both.context().isNone()).isFalse();

            Sibling merged = both.resolve(s -> text(String.join(",", s.stream().map(Sibling::valueAsString).sorted().toList())))
                    .orElseThrow();
            left.put("cart", merged.value(), merged.contentType(), both.context());
            GetResult collapsed = right.get("cart", ReadOptions.defaults().withR(3));
            assertThat(collapsed.hasSiblings()).isFalse();
            assertThat(collapsed.value()).hasValue(text("apples,pears"));
        }
    }

    /** Without the read's context the delete would be concurrent with "x", and "x" would still be read. */
    @Test
    void aDeleteWithTheReadsContextLeavesANotFoundThatStillHasAContext() {
        try (KvClient writer = fx.client(1); KvClient reader = fx.client(2)) {
            writer.put("doomed", "x", CausalContext.none());
            GetResult read = reader.get("doomed");
            assertThat(read.found()).isTrue();

            writer.delete("doomed", read.context());
            GetResult gone = reader.get("doomed");
            assertThat(gone.found()).isFalse();
            assertThat(gone.context().isNone()).as("a deleted key still has a context").isFalse();
            assertThat(gone.context()).as("the tombstone's context includes the delete").isNotEqualTo(read.context());
        }
    }

    @Test
    void aContextTheClusterDidNotIssueIsRefusedWith400AndChangesNothing() {
        try (KvClient client = fx.client(1)) {
            KvException e = failure(() -> client.put("forged", "x", CausalContext.of("not-a-context")));
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.error()).isEqualTo("invalid_context");
            assertThat(e.outcomeUnknown()).isFalse();
            assertThat(client.get("forged", ReadOptions.defaults().withR(3)).found()).isFalse();
        }
    }

    @Test
    void aValueAboveMaxValueBytesIsRefusedWith413AndChangesNothing() {
        try (KvClient client = fx.client(2)) {
            byte[] limit = new byte[MAX_VALUE_BYTES];
            Arrays.fill(limit, (byte) 'a');
            client.put("sized", limit, "application/octet-stream", CausalContext.none());

            byte[] over = new byte[MAX_VALUE_BYTES + 1];
            KvException e = failure(() -> client.put("oversized", over, "application/octet-stream", CausalContext.none()));
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.error()).isEqualTo("value_too_large");
            assertThat(e.outcomeUnknown()).isFalse();
            assertThat(client.get("oversized", ReadOptions.defaults().withR(3)).found()).isFalse();
            assertThat(client.get("sized").value().orElseThrow().value()).isEqualTo(limit);
        }
    }

    /**
     * A paused replica is still a live member: the coordinator sends to it, gives up at the timeout and
     * answers 503 unavailable. The write did reach the other two replicas, which is why the client must
     * report its outcome as unknown and not as failed.
     */
    @Test
    void withAReplicaPausedAQuorumOfEveryReplicaIsUnavailableAndTheWriteMayHaveHappened() {
        try (KvClient client = fx.client(1)) {
            fx.node(3).pause();
            try {
                KvException write = failure(() -> client.put("paused", "maybe", CausalContext.none(), ALL_WRITE));
                assertThat(write.status()).isEqualTo(503);
                assertThat(write.error()).isEqualTo("unavailable");
                assertThat(write.outcomeUnknown()).isTrue();

                KvException read = failure(() -> client.get("paused", ALL_READ));
                assertThat(read.error()).isEqualTo("unavailable");
                assertThat(read.outcomeUnknown()).isTrue();

                assertThat(client.get("paused", ReadOptions.defaults().withR(2)).value())
                        .as("the write reported unavailable was applied").hasValue(text("maybe"));
            } finally {
                fx.node(3).resume();
            }
        }
    }

    /**
     * Once the cluster knows a replica is down, a quorum of every replica is refused before anything is
     * sent: 503 insufficient_replicas, and certainly not applied. Last: it leaves n3 dead.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void withAReplicaKilledAQuorumOfEveryReplicaIsRefusedBeforeAnythingIsSent() {
        try (KvClient client = fx.client(1)) {
            fx.node(3).kill();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(Replicas.liveMembers(fx, 1)).containsExactlyInAnyOrder("n1", "n2");
                assertThat(Replicas.liveMembers(fx, 2)).containsExactlyInAnyOrder("n1", "n2");
            });

            KvException write = failure(() -> client.put("refused", "never", CausalContext.none(), ALL_WRITE));
            assertThat(write.status()).isEqualTo(503);
            assertThat(write.error()).isEqualTo("insufficient_replicas");
            assertThat(write.outcomeUnknown()).isFalse();
            assertThat(write.getMessage()).contains("\"replied\":2", "\"needed\":3");

            KvException read = failure(() -> client.get("refused", ALL_READ));
            assertThat(read.error()).isEqualTo("insufficient_replicas");
            assertThat(read.outcomeUnknown()).isFalse();

            assertThat(client.get("refused", ReadOptions.defaults().withR(2)).found())
                    .as("the refused write was not applied anywhere").isFalse();
        }
    }
}
