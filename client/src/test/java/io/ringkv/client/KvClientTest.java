package io.ringkv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@link KvClient} sends to a node and what it makes of each answer a node can give, against a
 * real HTTP server ({@link StubNode}) rather than hand-built exceptions: the checker's FAIL/INFO
 * judgement of every operation rests on these mappings.
 */
class KvClientTest {

    private final StubNode node = StubNode.start();
    private final KvClient client = clientOf(node.address());

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    private static KvClient clientOf(String... addresses) {
        return KvClient.builder().nodes(addresses).requestTimeout(Duration.ofSeconds(5)).build();
    }

    private static KvException failure(ThrowingCallable call) {
        KvException e = catchThrowableOfType(KvException.class, call);
        assertThat(e).as("a KvException").isNotNull();
        return e;
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // --- what an answer becomes ---

    @Test
    void aFoundValueCarriesItsBytesContentTypeAndContext() {
        node.answer(200, "{\"x\":1}", "Content-Type", "application/json", "X-Context", "ctx-1");
        GetResult read = client.get("k");
        assertThat(read.found()).isTrue();
        assertThat(read.hasSiblings()).isFalse();
        assertThat(read.siblings()).containsExactly(new Sibling("{\"x\":1}".getBytes(StandardCharsets.UTF_8), "application/json"));
        assertThat(read.context()).isEqualTo(CausalContext.of("ctx-1"));
    }

    @Test
    void aValueStoredWithoutContentTypeIsOctetStream() {
        node.answer(200, "raw");
        assertThat(client.get("k").value().orElseThrow().contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void aWriteReturnsTheContextOfWhatItWroteWhenTheNodeGivesIt() {
        node.answer(204, "", "X-Context", "after-put");
        assertThat(client.put("k", "v", CausalContext.none())).isEqualTo(CausalContext.of("after-put"));
        node.answer(204, "", "X-Context", "after-delete");
        assertThat(client.delete("k", CausalContext.none())).isEqualTo(CausalContext.of("after-delete"));
    }

    @Test
    void aWriteWithoutAnExactContextReturnsNone() {
        node.answer(204, "");
        assertThat(client.put("k", "v", CausalContext.of("seen")).isNone()).isTrue();
        assertThat(client.delete("k", CausalContext.of("seen")).isNone()).isTrue();
    }

    @Test
    void multipleChoicesAreSiblingsWithTheMergedContext() {
        node.answer(300, "{\"siblings\":["
                        + "{\"content_type\":\"text/plain\",\"value_base64\":\"" + base64("apples") + "\",\"timestamp_ms\":1},"
                        + "{\"content_type\":\"application/json\",\"value_base64\":\"" + base64("[\"pears\"]") + "\",\"timestamp_ms\":2}],"
                        + "\"context\":\"merged\"}",
                "Content-Type", "application/json");
        GetResult read = client.get("cart");
        assertThat(read.hasSiblings()).isTrue();
        assertThat(read.siblings()).containsExactly(
                new Sibling("apples".getBytes(StandardCharsets.UTF_8), "text/plain"),
                new Sibling("[\"pears\"]".getBytes(StandardCharsets.UTF_8), "application/json"));
        assertThat(read.context()).isEqualTo(CausalContext.of("merged"));
    }

    @Test
    void multipleChoicesWithoutAContextInTheBodyKeepTheHeaders() {
        node.answer(300, "{\"siblings\":[{\"value_base64\":\"" + base64("a") + "\"},{\"value_base64\":\"" + base64("b") + "\"}]}",
                "X-Context", "from-header");
        GetResult read = client.get("k");
        assertThat(read.context()).isEqualTo(CausalContext.of("from-header"));
        assertThat(read.siblings()).extracting(Sibling::contentType).containsOnly("application/octet-stream");
    }

    @Test
    void aDeletedKeyIsNotFoundAndStillCarriesItsContext() {
        node.answerError(404, "not_found", "\"the key was deleted\"", "X-Context", "tombstone");
        GetResult read = client.get("k");
        assertThat(read.found()).isFalse();
        assertThat(read.value()).isEmpty();
        assertThat(read.context()).isEqualTo(CausalContext.of("tombstone"));
    }

    @Test
    void aKeyNeverWrittenIsNotFoundWithoutContext() {
        node.answerError(404, "not_found", "\"no value for this key\"");
        GetResult read = client.get("k");
        assertThat(read.found()).isFalse();
        assertThat(read.context().isNone()).isTrue();
    }

    @Test
    void a404ThatIsNotTheNodesNotFoundIsAnError() {
        node.answer(404, "<html>Not Found</html>", "Content-Type", "text/html");
        KvException e = failure(() -> client.get("k"));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.error()).isEqualTo("http_404");
    }

    /**
     * Every error a node answers with, through each key operation: the status, the error name of the
     * JSON body, and whether the operation may have taken effect. Only a 4xx and the 503s refused before
     * any replica was asked are certain not to have.
     */
    @ParameterizedTest(name = "{0} {1} -> outcome unknown: {2}")
    @CsvSource({
            "400, invalid_context, false",
            "400, invalid_quorum, false",
            "404, no_such_endpoint, false",
            "405, method_not_allowed, false",
            "409, plan_refused, false",
            "413, value_too_large, false",
            "500, internal, true",
            "503, unavailable, true",
            "503, insufficient_replicas, false",
            "503, overloaded, false",
            "503, not_ready, false"})
    void anErrorAnswerIsAKvExceptionWithItsNameAndWhetherTheOutcomeIsKnown(int status, String error, boolean unknown) {
        node.answerError(status, error, "\"why: " + error + "\"");
        List<ThrowingCallable> operations = List.of(
                () -> client.get("k"),
                () -> client.put("k", "v", CausalContext.none()),
                () -> client.delete("k", CausalContext.none()));
        for (ThrowingCallable operation : operations) {
            KvException e = failure(operation);
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.error()).isEqualTo(error);
            assertThat(e.outcomeUnknown()).isEqualTo(unknown);
            assertThat(e.getMessage()).contains(" -> " + status + " " + error + ": why: " + error);
        }
        assertThat(node.received()).extracting(StubNode.Received::method).containsExactly("GET", "PUT", "DELETE");
    }

    @Test
    void aDetailObjectIsKeptInTheMessage() {
        node.answerError(503, "unavailable", "{\"message\":\"write reached 1 of w=2 replicas\",\"replied\":1,\"needed\":2}");
        KvException e = failure(() -> client.put("k", "v", CausalContext.none()));
        assertThat(e.getMessage()).contains("unavailable: {\"message\":\"write reached 1 of w=2 replicas\",\"replied\":1,\"needed\":2}");
        assertThat(e.outcomeUnknown()).isTrue();
    }

    @Test
    void aRefusedClusterChangeIs409() {
        node.answerError(409, "plan_refused", "\"fewer than 3 distinct owners\"");
        KvException e = failure(client::plan);
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.error()).isEqualTo("plan_refused");
        assertThat(e.outcomeUnknown()).isFalse();
    }

    @Test
    void anOverloadedNodeSaysWhenToRetry() {
        node.answerError(503, "overloaded", "\"busy\"", "Retry-After", "1");
        assertThat(failure(() -> client.get("k")).retryAfter()).hasValue(Duration.ofSeconds(1));
        node.answerError(503, "overloaded", "\"busy\"", "Retry-After", " 120 ");
        assertThat(failure(() -> client.put("k", "v", CausalContext.none())).retryAfter()).hasValue(Duration.ofSeconds(120));
    }

    @Test
    void anAnswerWithoutRetryAfterGivesNoHint() {
        node.answerError(503, "unavailable", "\"slow\"");
        assertThat(failure(() -> client.get("k")).retryAfter()).isEmpty();
    }

    @Test
    void aRetryAfterThatIsNotDeltaSecondsIsIgnored() {
        for (String value : List.of("Wed, 21 Oct 2015 07:28:00 GMT", "-1", "1.5", "99999999999999999999")) {
            node.answerError(503, "overloaded", "\"busy\"", "Retry-After", value);
            assertThat(failure(() -> client.get("k")).retryAfter()).as("Retry-After: %s", value).isEmpty();
        }
    }

    /** A proxy or load balancer in front of the nodes answers with its own page, not ringkv's JSON. */
    @Test
    void aProxyErrorPageKeepsItsStatusAndBody() {
        node.answer(502, "<html><body>Bad Gateway</body></html>", "Content-Type", "text/html");
        KvException e = failure(() -> client.put("k", "v", CausalContext.none()));
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.error()).isEqualTo("http_502");
        assertThat(e.getMessage()).contains("Bad Gateway");
        assertThat(e.outcomeUnknown()).isTrue();

        node.answer(503, "Service Unavailable", "Content-Type", "text/plain");
        KvException unavailable = failure(() -> client.put("k", "v", CausalContext.none()));
        assertThat(unavailable.error()).isEqualTo("http_503");
        assertThat(unavailable.outcomeUnknown()).as("a proxy's 503 does not say the node refused").isTrue();
    }

    /** A 300 that cannot be read must not pass for an answer: empty siblings would read as "not found". */
    @Test
    void garbledMultipleChoicesAreABadResponseOfUnknownOutcome() {
        for (String body : List.of("<html>Multiple Choices</html>", "{}", "{\"siblings\":[]}",
                "{\"siblings\":[{\"content_type\":\"text/plain\"},{\"value_base64\":\"YQ==\"}]}",
                "{\"siblings\":[{\"value_base64\":\"not base64!\"},{\"value_base64\":\"YQ==\"}]}")) {
            node.answer(300, body, "Content-Type", "application/json");
            KvException e = failure(() -> client.get("k"));
            assertThat(e.status()).as(body).isEqualTo(300);
            assertThat(e.error()).as(body).isEqualTo("bad_response");
            assertThat(e.outcomeUnknown()).as(body).isTrue();
        }
    }

    // --- failures without an answer ---

    @Test
    void aRefusedConnectionIsAnIoErrorWithoutStatus() {
        try (KvClient refused = clientOf(StubNode.refusingAddress())) {
            KvException e = failure(() -> refused.put("k", "v", CausalContext.none()));
            assertThat(e.status()).isZero();
            assertThat(e.error()).isEqualTo("io");
            assertThat(e.getCause()).isInstanceOf(ConnectException.class);
            assertThat(e.retryAfter()).isEmpty();
        }
    }

    @Test
    void aNodeThatNeverAnswersTimesOut() {
        try (StubNode.Listener silent = StubNode.silent();
             KvClient impatient = KvClient.builder().nodes(silent.address()).requestTimeout(Duration.ofMillis(300)).build()) {
            KvException e = failure(() -> impatient.put("k", "v", CausalContext.none()));
            assertThat(e.status()).isZero();
            assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
            assertThat(e.getMessage()).endsWith(": timed out");
            assertThat(e.outcomeUnknown()).isTrue();
        }
    }

    @Test
    void aConnectionResetMidRequestIsAnIoErrorOfUnknownOutcome() {
        try (StubNode.Listener resetting = StubNode.resetting(); KvClient c = clientOf(resetting.address())) {
            KvException e = failure(() -> c.put("k", "v", CausalContext.none()));
            assertThat(e.status()).isZero();
            assertThat(e.getCause()).isInstanceOf(IOException.class).isNotInstanceOf(ConnectException.class)
                    .isNotInstanceOf(HttpTimeoutException.class);
            assertThat(e.outcomeUnknown()).isTrue();
        }
    }

    // --- what a request carries ---

    /**
     * The node decodes the path strictly and reads '+' as a plus: a space must go as %20, a '/' must
     * not split the path, and non-ASCII goes as percent-encoded UTF-8.
     */
    @Test
    void aKeyIsPercentEncodedInThePathAsUtf8() {
        client.put("a b+c/é ключ?#%&=", "v", CausalContext.none());
        assertThat(node.onlyRequest().rawPath())
                .isEqualTo("/kv/a%20b%2Bc%2F%C3%A9%20%D0%BA%D0%BB%D1%8E%D1%87%3F%23%25%26%3D");
    }

    @Test
    void anEmptyKeyIsRefusedBeforeAnythingIsSent() {
        assertThatIllegalArgumentException().isThrownBy(() -> client.get(""));
        assertThatIllegalArgumentException().isThrownBy(() -> client.put("", "v", CausalContext.none()));
        assertThat(node.received()).isEmpty();
    }

    @Test
    void readOptionsAreSentAsQueryParameters() {
        node.answer(200, "v");
        client.get("k", ReadOptions.defaults().withR(3).withReadRepair("sync").withSloppy(false)
                .withTimeout(Duration.ofMillis(1500)));
        assertThat(node.onlyRequest().query())
                .isEqualTo(Map.of("r", "3", "read_repair", "sync", "sloppy", "false", "timeout_ms", "1500"));
    }

    @Test
    void writeOptionsAreSentAsQueryParameters() {
        WriteOptions options = WriteOptions.defaults().withW(3).withSloppy(false).withTimeout(Duration.ofMillis(1500));
        client.put("k", "v", CausalContext.none(), options);
        client.delete("k", CausalContext.none(), options);
        assertThat(node.received()).extracting(StubNode.Received::query)
                .containsOnly(Map.of("w", "3", "sloppy", "false", "timeout_ms", "1500"));
    }

    @Test
    void withDefaultOptionsTheClusterDefaultsApply() {
        node.answer(200, "v");
        client.get("k");
        node.answer(204, "");
        client.put("k", "v", CausalContext.none());
        client.delete("k", CausalContext.none());
        assertThat(node.received()).hasSize(3).extracting(StubNode.Received::query).containsOnly(Map.of());
    }

    @Test
    void theContextGoesBackWithAPutAndADelete() {
        client.put("k", "v".getBytes(StandardCharsets.UTF_8), "application/json", CausalContext.of("seen-by-put"));
        client.delete("k", CausalContext.of("seen-by-delete"));
        List<StubNode.Received> sent = node.received();
        assertThat(sent.get(0).header("X-Context")).hasValue("seen-by-put");
        assertThat(sent.get(0).header("Content-Type")).hasValue("application/json");
        assertThat(sent.get(0).body()).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
        assertThat(sent.get(1).header("X-Context")).hasValue("seen-by-delete");
    }

    @Test
    void credentialsAreNeverSentOverPlainHttp() {
        assertThatThrownBy(() -> KvClient.builder().nodes("127.0.0.1:1").credentials("alice", "a long password").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only over HTTPS");
        assertThatThrownBy(() -> KvClient.builder().credentials("al:ice", "pw"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A write that saw nothing sends no context at all: an empty header would be an invalid context. */
    @Test
    void aBlindWriteSendsNoContext() {
        client.put("k", "v", CausalContext.none());
        client.delete("k", CausalContext.none());
        assertThat(node.received()).allSatisfy(r -> assertThat(r.header("X-Context")).isEmpty());
    }

    @Test
    void requestsGoToTheNodesInTurn() {
        try (StubNode other = StubNode.start(); KvClient both = clientOf(node.address(), other.address())) {
            node.answer(200, "v");
            other.answer(200, "v");
            for (String key : List.of("k1", "k2", "k3", "k4")) {
                both.get(key);
            }
            assertThat(node.received()).extracting(StubNode.Received::rawPath).containsExactly("/kv/k1", "/kv/k3");
            assertThat(other.received()).extracting(StubNode.Received::rawPath).containsExactly("/kv/k2", "/kv/k4");
        }
    }
}
