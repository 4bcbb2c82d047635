package io.ringkv.checker.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ringkv.checker.history.EventType;
import io.ringkv.client.CausalContext;
import io.ringkv.client.KvClient;
import io.ringkv.client.StubNode;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FAIL (certainly not applied) or INFO (maybe applied) for what a real {@link KvClient} throws at each
 * answer a node, a proxy or the network can give. Every checker's soundness rests on this: a write
 * recorded FAIL that did take effect makes its value look like it came from nowhere.
 */
class OutcomesTest {

    private final StubNode node = StubNode.start();
    private final KvClient client = clientOf(node.address(), Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    private static KvClient clientOf(String address, Duration timeout) {
        return KvClient.builder().nodes(address).requestTimeout(timeout).build();
    }

    private static RuntimeException failure(ThrowingCallable operation) {
        RuntimeException e = catchThrowableOfType(RuntimeException.class, operation);
        assertThat(e).as("the operation failed").isNotNull();
        return e;
    }

    /** How a read, a write and a delete through {@code c} are each recorded. */
    private static List<EventType> outcomesThrough(KvClient c) {
        return List.of(
                Outcomes.classify(failure(() -> c.get("k"))),
                Outcomes.classify(failure(() -> c.put("k", "v", CausalContext.none()))),
                Outcomes.classify(failure(() -> c.delete("k", CausalContext.none()))));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "400, invalid_context, FAIL",
            "400, invalid_quorum, FAIL",
            "409, plan_refused, FAIL",
            "413, value_too_large, FAIL",
            "503, insufficient_replicas, FAIL",
            "503, overloaded, FAIL",
            "503, not_ready, FAIL",
            "503, unavailable, INFO",
            "500, internal, INFO"})
    void aNodesErrorAnswer(int status, String error, EventType recorded) {
        node.answerError(status, error, "{\"message\":\"x\"}");
        assertThat(outcomesThrough(client)).containsOnly(recorded);
        assertThat(Outcomes.describe(failure(() -> client.get("k")))).isEqualTo(status + " " + error);
    }

    /** A proxy's page, not ringkv's JSON: nothing says the node refused, so the write may have happened. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"502, Bad Gateway", "503, Service Unavailable", "504, Gateway Timeout"})
    void aProxyErrorPageIsUnknown(int status, String page) {
        node.answer(status, "<html>" + page + "</html>", "Content-Type", "text/html");
        assertThat(outcomesThrough(client)).containsOnly(EventType.INFO);
    }

    /** A 300 that cannot be read is no read: recorded as FAIL or OK, it would be a result made up. */
    @Test
    void garbledMultipleChoicesAreUnknown() {
        node.answer(300, "<html>Multiple Choices</html>", "Content-Type", "text/html");
        assertThat(Outcomes.classify(failure(() -> client.get("k")))).isEqualTo(EventType.INFO);
        node.answer(300, "{\"siblings\":[]}", "Content-Type", "application/json");
        assertThat(Outcomes.classify(failure(() -> client.get("k")))).isEqualTo(EventType.INFO);
    }

    /** A killed node: the connection is refused and nothing reached any node. */
    @Test
    void aRefusedConnectionFails() {
        try (KvClient refused = clientOf(StubNode.refusingAddress(), Duration.ofSeconds(5))) {
            assertThat(outcomesThrough(refused)).containsOnly(EventType.FAIL);
            assertThat(Outcomes.describe(failure(() -> refused.get("k")))).isEqualTo("connection refused");
        }
    }

    /** A paused node took the request and may apply it when it resumes. */
    @Test
    void aTimeoutIsUnknown() {
        try (StubNode.Listener silent = StubNode.silent();
             KvClient impatient = clientOf(silent.address(), Duration.ofMillis(300))) {
            assertThat(outcomesThrough(impatient)).containsOnly(EventType.INFO);
            assertThat(Outcomes.describe(failure(() -> impatient.get("k")))).isEqualTo("timed out");
        }
    }

    /** The node had the request before the connection went: it may have coordinated it. */
    @Test
    void aConnectionResetMidRequestIsUnknown() {
        try (StubNode.Listener resetting = StubNode.resetting(); KvClient c = clientOf(resetting.address(), Duration.ofSeconds(5))) {
            assertThat(outcomesThrough(c)).containsOnly(EventType.INFO);
        }
    }

    /** Whatever else a client may throw is nothing it understood: unknown. */
    @Test
    void anythingElseIsUnknown() {
        assertThat(Outcomes.classify(new IllegalStateException("garbled"))).isEqualTo(EventType.INFO);
        assertThat(Outcomes.describe(new IllegalStateException("garbled"))).isEqualTo("IllegalStateException: garbled");
    }
}
