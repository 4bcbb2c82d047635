package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringkv.client.CausalContext;
import io.ringkv.client.GetResult;
import io.ringkv.client.KvClient;
import io.ringkv.client.KvException;
import io.ringkv.client.ReadOptions;
import io.ringkv.client.Sibling;
import io.ringkv.client.WriteOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The public API of a real 3-node cluster (n=3 r=2 w=2), over HTTP, against node processes. */
class ClusterApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ClusterFixture fx;

    @BeforeAll
    static void startCluster() throws Exception {
        fx = ClusterFixture.start("api", 3, 17070, "--n", "3", "--r", "2", "--w", "2");
    }

    @AfterAll
    static void stopCluster() {
        if (fx != null) {
            fx.close();
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void aQuorumWriteIsReadThroughEveryNode() {
        HttpResponse<String> put = fx.put(1, "/kv/greeting?w=2", "hello", "Content-Type", "text/plain");
        assertThat(put.statusCode()).isEqualTo(204);
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> get = fx.get(i, "/kv/greeting?r=2");
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("hello");
            assertThat(get.headers().firstValue("Content-Type")).hasValue("text/plain");
            assertThat(get.headers().firstValue("X-Context")).isPresent();
        }
    }

    /** Membership changes that cannot be carried out are refused with a reason, and nothing is staged. */
    @Test
    void impossibleMembershipChangesAreRefusedAndNotStaged() {
        HttpResponse<String> leave = fx.send(1, "POST", "/cluster/staged", "{\"leave\":\"n3\"}");
        assertThat(leave.statusCode()).isEqualTo(409);
        assertThat(leave.body()).contains("plan_refused").contains("fewer than 3 distinct owners");
        HttpResponse<String> ghost = fx.send(1, "POST", "/cluster/staged", "{\"join\":\"n9\"}");
        assertThat(ghost.statusCode()).isEqualTo(409);
        assertThat(ghost.body()).contains("not_live");
        assertThat(fx.send(1, "POST", "/cluster/staged", "{\"join\":\"n9\",\"leave\":\"n1\"}").statusCode()).isEqualTo(400);
        assertThat(fx.send(1, "POST", "/cluster/staged", "not json").statusCode()).isEqualTo(400);
        assertThat(fx.get(1, "/cluster").body()).contains("\"staged\":[]");
        assertThat(fx.get(1, "/cluster/plan").statusCode()).isEqualTo(409);
        assertThat(fx.send(1, "POST", "/cluster/commit", "").statusCode()).isEqualTo(409);
        assertThat(fx.send(1, "POST", "/cluster/force-handoff", "{\"node\":\"n3\"}").statusCode()).isEqualTo(409);
        assertThat(fx.send(1, "POST", "/cluster/force-handoff", "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void keysAreAnyUtf8UpToTheLimit() {
        try (KvClient client = fx.client(2)) {
            String key = "ключ/with spaces+plus?&#%é";
            client.put(key, "v", CausalContext.none());
            assertThat(client.get(key).siblings()).containsExactly(new Sibling("v".getBytes(), "text/plain; charset=utf-8"));
        }
    }

    @Test
    void blindConcurrentWritesBecomeSiblingsAndAWriteWithTheMergedContextCollapsesThem() throws Exception {
        assertThat(fx.put(1, "/kv/cart", "apples", "Content-Type", "text/plain").statusCode()).isEqualTo(204);
        assertThat(fx.put(2, "/kv/cart", "pears", "Content-Type", "text/plain").statusCode()).isEqualTo(204);

        HttpResponse<String> siblings = fx.get(3, "/kv/cart");
        assertThat(siblings.statusCode()).isEqualTo(300);
        JsonNode body = json(siblings);
        assertThat(body.path("siblings")).hasSize(2);
        String context = body.path("context").asText();
        assertThat(siblings.headers().firstValue("X-Context")).hasValue(context);

        assertThat(fx.put(3, "/kv/cart", "apples+pears", "Content-Type", "text/plain", "X-Context", context).statusCode())
                .isEqualTo(204);
        HttpResponse<String> merged = fx.get(1, "/kv/cart");
        assertThat(merged.statusCode()).isEqualTo(200);
        assertThat(merged.body()).isEqualTo("apples+pears");
    }

    @Test
    void aWriteAnswersWithTheContextOfItsValueSoTheNextWriteSupersedesIt() throws Exception {
        HttpResponse<String> first = fx.put(1, "/kv/chain", "one");
        assertThat(first.statusCode()).isEqualTo(204);
        String afterFirst = first.headers().firstValue("X-Context").orElseThrow();
        HttpResponse<String> second = fx.put(2, "/kv/chain", "two", "X-Context", afterFirst);
        assertThat(second.statusCode()).isEqualTo(204);
        HttpResponse<String> read = fx.get(3, "/kv/chain?r=3");
        assertThat(read.statusCode()).as("no sibling: the second write saw the first").isEqualTo(200);
        assertThat(read.body()).isEqualTo("two");

        // A blind write in between is concurrent with a write made with the older context: both stay.
        String afterSecond = second.headers().firstValue("X-Context").orElseThrow();
        assertThat(fx.put(1, "/kv/chain", "blind").statusCode()).isEqualTo(204);
        assertThat(fx.put(3, "/kv/chain", "three", "X-Context", afterSecond).statusCode()).isEqualTo(204);
        HttpResponse<String> both = fx.get(2, "/kv/chain?r=3");
        assertThat(both.statusCode()).isEqualTo(300);
        assertThat(json(both).path("siblings")).hasSize(2);
    }

    @Test
    void theClientExposesSiblingsAndResolvesThem() {
        try (KvClient a = fx.client(1); KvClient b = fx.client(3)) {
            a.put("doc", "left", CausalContext.none());
            b.put("doc", "right", CausalContext.none());
            GetResult read = a.get("doc");
            assertThat(read.hasSiblings()).isTrue();
            Sibling resolved = read.resolve(s -> new Sibling(String.join("|", s.stream().map(Sibling::valueAsString).sorted().toList())
                    .getBytes(), "text/plain")).orElseThrow();
            a.put("doc", resolved.value(), resolved.contentType(), read.context());
            assertThat(b.get("doc").value().orElseThrow().valueAsString()).isEqualTo("left|right");
        }
    }

    @Test
    void aDeleteHidesTheKeyAndKeepsItsContext() throws Exception {
        assertThat(fx.put(1, "/kv/doomed", "x").statusCode()).isEqualTo(204);
        String context = fx.get(2, "/kv/doomed").headers().firstValue("X-Context").orElseThrow();
        HttpResponse<String> delete = fx.send(3, "DELETE", "/kv/doomed", null, "X-Context", context);
        assertThat(delete.statusCode()).isEqualTo(204);

        HttpResponse<String> gone = fx.get(1, "/kv/doomed");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).path("error").asText()).isEqualTo("not_found");
        assertThat(gone.headers().firstValue("X-Context")).as("a deleted key still has a context").isPresent();

        HttpResponse<String> never = fx.get(1, "/kv/never-written");
        assertThat(never.statusCode()).isEqualTo(404);
        assertThat(never.headers().firstValue("X-Context")).isEmpty();
    }

    @Test
    void aDeleteNeverErasesAConcurrentWrite() {
        try (KvClient client = fx.client(1); KvClient other = fx.client(2)) {
            client.put("contested", "v1", CausalContext.none());
            CausalContext seen = client.get("contested").context();
            // Written concurrently with the delete: its writer had not seen the delete, nor the delete it.
            client.put("contested", "v2", seen);
            client.delete("contested", seen);
            GetResult after = other.get("contested");
            assertThat(after.siblings()).extracting(Sibling::valueAsString).containsExactly("v2");
        }
    }

    @Test
    void aRuntimeQuorumChangeReachesEveryNode() throws Exception {
        try (KvClient client = fx.client(2)) {
            JsonNode now = client.updateSettings(Map.of("r", 1, "w", 3));
            assertThat(now.path("r").asInt()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (int i = 1; i <= 3; i++) {
                    JsonNode settings = json(fx.get(i, "/cluster")).path("settings");
                    assertThat(settings.path("r").asInt()).as("r on n%d", i).isEqualTo(1);
                    assertThat(settings.path("w").asInt()).as("w on n%d", i).isEqualTo(3);
                }
            });
            client.updateSettings(Map.of("r", 2, "w", 2));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (int i = 1; i <= 3; i++) {
                    assertThat(json(fx.get(i, "/cluster")).path("settings").path("w").asInt()).isEqualTo(2);
                }
            });
        }
    }

    @Test
    void clusterStatusShowsMembersLivenessOwnershipAndSettings() throws Exception {
        JsonNode status = json(fx.get(3, "/cluster"));
        assertThat(status.path("members")).hasSize(3);
        int owned = 0;
        for (JsonNode m : status.path("members")) {
            assertThat(m.path("live").asBoolean()).isTrue();
            assertThat(m.path("partitions_owned").asInt()).isBetween(21, 22);
            owned += m.path("partitions_owned").asInt();
        }
        assertThat(owned).isEqualTo(64);
        assertThat(status.path("owners")).hasSize(64);
        assertThat(status.path("settings").path("n").asInt()).isEqualTo(3);
        assertThat(fx.get(1, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void badInputGetsAClear4xxAndChangesNothing() throws Exception {
        assertThat(fx.put(1, "/kv/guarded", "original").statusCode()).isEqualTo(204);
        String longKey = "k".repeat(1025);
        record Case(String method, String path, String body, String[] headers, int status, String error) {
        }
        List<Case> cases = List.of(
                new Case("PUT", "/kv/guarded?w=0", "bad", new String[0], 400, "invalid_quorum"),
                new Case("PUT", "/kv/guarded?w=-1", "bad", new String[0], 400, "invalid_quorum"),
                new Case("PUT", "/kv/guarded?w=4", "bad", new String[0], 400, "invalid_quorum"),
                new Case("PUT", "/kv/guarded?w=two", "bad", new String[0], 400, "invalid_quorum"),
                new Case("GET", "/kv/guarded?r=0", null, new String[0], 400, "invalid_quorum"),
                new Case("GET", "/kv/guarded?r=9", null, new String[0], 400, "invalid_quorum"),
                new Case("PUT", "/kv/guarded?timeout_ms=0", "bad", new String[0], 400, "invalid_parameter"),
                new Case("PUT", "/kv/guarded?W=2", "bad", new String[0], 400, "invalid_parameter"),
                new Case("PUT", "/kv/guarded", "bad", new String[] {"X-Context", "not-a-context"}, 400, "invalid_context"),
                new Case("PUT", "/kv/guarded", "bad", new String[] {"X-Context", "AAAAAAAAAAAAAAAA"}, 400, "invalid_context"),
                new Case("DELETE", "/kv/guarded", null, new String[] {"X-Context", "%%%"}, 400, "invalid_context"),
                new Case("PUT", "/kv/" + longKey, "bad", new String[0], 400, "invalid_key"),
                new Case("PUT", "/kv/bad%C3%28utf8", "bad", new String[0], 400, "invalid_key"),
                new Case("PUT", "/kv/", "bad", new String[0], 400, "invalid_key"),
                new Case("POST", "/kv/guarded", "bad", new String[0], 405, "method_not_allowed"),
                new Case("GET", "/nowhere", null, new String[0], 404, "no_such_endpoint"));
        for (Case c : cases) {
            HttpResponse<String> r = fx.send(2, c.method(), c.path(), c.body(), c.headers());
            assertThat(r.statusCode()).as("%s %s", c.method(), c.path()).isEqualTo(c.status());
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode body = json(r);
            assertThat(body.path("error").asText()).as("%s %s", c.method(), c.path()).isEqualTo(c.error());
            assertThat(body.path("detail").isMissingNode()).isFalse();
        }
        // Paths a well-behaved client library refuses to send.
        assertThat(fx.rawStatus(1, "PUT", "/kv/bad%ZZescape")).isEqualTo(400);
        assertThat(fx.rawStatus(1, "PUT", "/kv/guarded%")).isEqualTo(400);
        HttpResponse<String> read = fx.get(3, "/kv/guarded?r=3");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).as("no bad request changed the value").isEqualTo("original");
    }

    @Test
    void anOversizedValueIs413AndIsNotStored() throws Exception {
        String big = "x".repeat(1024 * 1024 + 1);
        HttpResponse<String> r = fx.put(1, "/kv/huge", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).path("error").asText()).isEqualTo("value_too_large");
        assertThat(fx.get(2, "/kv/huge?r=3").statusCode()).isEqualTo(404);
        String max = "y".repeat(1024 * 1024);
        assertThat(fx.put(1, "/kv/huge", max).statusCode()).isEqualTo(204);
        assertThat(fx.get(3, "/kv/huge").body()).hasSize(1024 * 1024);
    }

    @Test
    void invalidSettingsAreRefusedAndChangeNothing() throws Exception {
        long before = json(fx.get(1, "/cluster")).path("settings").path("version").asLong();
        for (String body : List.of("{\"r\":0}", "{\"w\":5}", "{\"n\":4}", "{\"n\":0}", "{\"r\":\"two\"}",
                "{\"read_repair\":\"sometimes\"}", "{\"bogus\":1}", "not json", "{}")) {
            HttpResponse<String> r = fx.put(1, "/cluster/settings", body, "Content-Type", "application/json");
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(json(r).path("error").asText()).as(body).startsWith("invalid_");
        }
        assertThat(json(fx.get(1, "/cluster")).path("settings").path("version").asLong()).isEqualTo(before);
    }

    /** {@code kv bench --rate}: keeps to the rate it was given, answers without errors and ends by itself. */
    @Test
    void aFixedRateBenchKeepsItsRateAndEnds() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        cmd.addAll(ClusterFixture.TEST_JVM);
        cmd.addAll(List.of("-jar", System.getProperty("ringkv.jar", "target/kv.jar"), "bench",
                "--nodes", fx.node(1).httpAddress() + "," + fx.node(2).httpAddress() + "," + fx.node(3).httpAddress(),
                "--keys", "50", "--concurrency", "8", "--rate", "200", "--warmup", "1", "--duration", "4"));
        Path log = Files.createTempFile(Path.of("target"), "bench", ".log");
        Process bench = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = bench.waitFor(60, TimeUnit.SECONDS);
        bench.destroyForcibly();
        String output = Files.readString(log);

        assertThat(ended).as("ended by itself: %s", output).isTrue();
        assertThat(bench.exitValue()).as(output).isZero();
        Matcher result = Pattern
                .compile("result: (\\d+) ops/s over 4 s \\((\\d+) requests measured\\).*errors \\{}").matcher(output);
        assertThat(result.find()).as(output).isTrue();
        assertThat(Long.parseLong(result.group(2))).as("requests in 4 s at 200/s").isBetween(600L, 1000L);
    }

    /**
     * With one of the key's three replicas killed, a request's own r or w decides, and without one the
     * cluster default does. A quorum that cannot be met is refused before anything is sent, so the
     * refused write leaves no trace on the replicas that are up.
     */
    @Test
    void withAReplicaDownEachRequestGetsTheQuorumItAsksForOrTheClusterDefault() throws Exception {
        fx.kill(3);
        try {
            HttpResponse<String> allThree = fx.put(1, "/kv/override?w=3&sloppy=false", "three");
            assertRefusedBeforeSending(allThree);
            for (int i = 1; i <= 2; i++) {
                assertThat(Replicas.holds(fx, i, "override")).as("refused write stored on n%d", i).isFalse();
            }
            assertThat(fx.put(1, "/kv/override?w=2&sloppy=false", "two").statusCode()).isEqualTo(204);
            assertRefusedBeforeSending(fx.get(1, "/kv/override?r=3&sloppy=false"));
            HttpResponse<String> two = fx.get(1, "/kv/override?r=2&sloppy=false");
            assertThat(two.statusCode()).isEqualTo(200);
            assertThat(two.body()).isEqualTo("two");
            try (KvClient client = fx.client(1)) {
                assertThatThrownBy(() -> client.put("override", "three".getBytes(), "text/plain", CausalContext.none(),
                        WriteOptions.defaults().withW(3).withSloppy(false)))
                        .isInstanceOfSatisfying(KvException.class, e -> assertThat(e.error()).isEqualTo("insufficient_replicas"));
                assertThatThrownBy(() -> client.get("override", ReadOptions.defaults().withR(3).withSloppy(false)))
                        .isInstanceOfSatisfying(KvException.class, e -> assertThat(e.error()).isEqualTo("insufficient_replicas"));
                assertThat(client.get("override", ReadOptions.defaults().withR(2).withSloppy(false)).value().orElseThrow()
                        .valueAsString()).isEqualTo("two");
            }

            // The defaults (r=2 w=2) are met; raised to 3 they are not, unless a request asks for 2.
            HttpResponse<String> byDefault = fx.put(1, "/kv/default?sloppy=false", "d");
            assertThat(byDefault.statusCode()).isEqualTo(204);
            assertThat(fx.get(1, "/kv/default?sloppy=false").statusCode()).isEqualTo(200);
            assertThat(fx.put(1, "/cluster/settings", "{\"r\":3,\"w\":3}", "Content-Type", "application/json").statusCode())
                    .isEqualTo(200);
            assertRefusedBeforeSending(fx.put(1, "/kv/default?sloppy=false", "d3"));
            assertRefusedBeforeSending(fx.get(1, "/kv/default?sloppy=false"));
            // Written over "d": a refused "d3" stored anyway would show up as its sibling.
            assertThat(fx.put(1, "/kv/default?w=2&sloppy=false", "d2",
                    "X-Context", byDefault.headers().firstValue("X-Context").orElseThrow()).statusCode()).isEqualTo(204);
            HttpResponse<String> overridden = fx.get(1, "/kv/default?r=2&sloppy=false");
            assertThat(overridden.statusCode()).as(overridden.body()).isEqualTo(200);
            assertThat(overridden.body()).isEqualTo("d2");
        } finally {
            fx.put(1, "/cluster/settings", "{\"r\":2,\"w\":2}", "Content-Type", "application/json");
            fx.restart(3);
            long version = json(fx.get(1, "/cluster")).path("settings").path("version").asLong();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (int i = 1; i <= 3; i++) {
                    JsonNode settings = json(fx.get(i, "/cluster")).path("settings");
                    assertThat(settings.path("version").asLong()).as("settings version on n%d", i).isEqualTo(version);
                    assertThat(settings.path("r").asInt()).isEqualTo(2);
                    assertThat(settings.path("w").asInt()).isEqualTo(2);
                }
            });
        }
    }

    /** 503 insufficient_replicas: three replicas were needed and two were up. */
    private static void assertRefusedBeforeSending(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        JsonNode body = json(r);
        assertThat(body.path("error").asText()).isEqualTo("insufficient_replicas");
        assertThat(body.path("detail").path("replied").asInt()).isEqualTo(2);
        assertThat(body.path("detail").path("needed").asInt()).isEqualTo(3);
    }
}
