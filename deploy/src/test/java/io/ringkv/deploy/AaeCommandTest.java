package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class AaeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode view(String node, String peers) throws Exception {
        return JSON.readTree(("{'node':'%s','settings':{'exchange_interval_ms':60000,'keys_per_second':2000,'concurrency':1},"
                + "'totals':{'exchanges_completed':5,'exchanges_failed':1,'keys_compared':30,'keys_repaired':12,'bytes':4096},"
                + "'partitions':[{'partition':7,'primaries':['n1','n2','n3'],"
                + "'tree':{'built':true,'rebuilding':false,'built_at':'2026-01-01T00:00:00Z'},'keys_repaired':12,'peers':[%s]}]}")
                .formatted(node, peers).replace('\'', '"'));
    }

    @Test
    void printsOneRowPerPairWithTheExchangeItsStarterKnows() throws Exception {
        Map<String, JsonNode> views = new TreeMap<>();
        views.put("n1", view("n1", "{'peer':'n2','started_by':'n1','last_exchange':{'started_at':'2026-01-01T00:09:50Z',"
                + "'duration_ms':40,'outcome':'completed','segments_differing':3,'keys_compared':9,'keys_repaired':4,'bytes':999}},"
                + "{'peer':'n3','started_by':'n1'}"));
        views.put("n2", view("n2", "{'peer':'n1','started_by':'n1'},{'peer':'n3','started_by':'n2'}"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        AaeCommand.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), views, Instant.parse("2026-01-01T00:10:00Z"));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("each pair every 60000 ms, 2000 keys/s per node");
        assertThat(out.lines().filter(l -> l.startsWith("n1 ") || l.startsWith("n2 "))).hasSize(2);
        assertThat(out).containsPattern("7\\s+n1 10m\\s+n2 10m\\s+n3 \\?\\s+n1>n2\\s+10s\\s+completed\\s+3\\s+9\\s+4");
        assertThat(out).containsPattern("n1>n3\\s+-\\s+-");
        assertThat(out).containsPattern("n2>n3\\s+-");
    }

    @Test
    void agesAreShort() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(AaeCommand.ago(now.minusMillis(850), now)).isEqualTo("850ms");
        assertThat(AaeCommand.ago(now.minusSeconds(90), now)).isEqualTo("90s");
        assertThat(AaeCommand.ago(now.minusSeconds(600), now)).isEqualTo("10m");
        assertThat(AaeCommand.ago(now.minusSeconds(3 * 3600), now)).isEqualTo("3h");
        assertThat(AaeCommand.ago(now.minusSeconds(3 * 86400), now)).isEqualTo("3d");
        assertThat(AaeCommand.ago(now.plusSeconds(5), now)).as("clock skew between nodes").isEqualTo("0ms");
    }
}
