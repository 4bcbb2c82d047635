package io.ringkv.checker.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringkv.checker.Histories;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlHistoryTest {

    @TempDir
    Path dir;

    private static History parse(String... lines) throws IOException {
        return JsonlHistory.read(new StringReader(String.join("\n", lines)));
    }

    @Test
    void writtenHistoriesReadBackEqual() throws IOException {
        Map<String, Object> write = new LinkedHashMap<>(); // field order as written, for the line below
        write.put("value", "3-17");
        write.put("seen", List.of("1-4"));
        History h = Histories.builder()
                .ok(3, "write", "k1", write, null, 10, 20)
                .ok(1, "read", "k1", null, Map.of("values", List.of("3-17")), 15, 30)
                .info(2, "write", "k2", Map.of("value", "2-1", "seen", List.of()), 12, 40)
                .nemesis("start", "kill n2", 11)
                .build();
        Path file = dir.resolve("h.jsonl");
        h.writeJsonl(file);
        History back = History.readJsonl(file);
        assertThat(back.events()).isEqualTo(h.events());
        assertThat(back.operations()).extracting(Operation::f, Operation::outcome)
                .as("in invocation order").containsExactly(org.assertj.core.groups.Tuple.tuple("write", Outcome.OK),
                        org.assertj.core.groups.Tuple.tuple("write", Outcome.INFO),
                        org.assertj.core.groups.Tuple.tuple("read", Outcome.OK));
        assertThat(Files.readAllLines(file).get(0)).isEqualTo(
                "{\"type\":\"invoke\",\"process\":3,\"f\":\"write\",\"key\":\"k1\","
                        + "\"value\":{\"value\":\"3-17\",\"seen\":[\"1-4\"]},\"time\":10}");
    }

    @Test
    void readsTheDocumentedFormatAndToleratesExtraFields() throws IOException {
        History h = parse(
                "{\"type\":\"invoke\",\"process\":3,\"f\":\"write\",\"key\":\"k1\",\"value\":{\"value\":\"3-17\","
                        + "\"seen\":[\"1-4\"]},\"time\":123456789,\"node\":\"n2\"}",
                "",
                "{\"type\":\"ok\",\"process\":3,\"f\":\"write\",\"key\":\"k1\",\"value\":null,\"time\":123999999,"
                        + "\"latency_ms\":0.5}",
                "{\"type\":\"nemesis\",\"f\":\"start\",\"fault\":\"kill n2\",\"time\":124000000}");
        Operation write = h.operations().get(0);
        assertThat(write.input()).isEqualTo(Map.of("value", "3-17", "seen", List.of("1-4")));
        assertThat(write.completeTime()).isEqualTo(123999999L);
        assertThat(write.line()).isEqualTo(1);
        assertThat(h.faultWindows()).containsExactly(new FaultWindow("kill n2", 124000000L, 124000000L));
    }

    @Test
    void pairsLikeJepsen() throws IOException {
        History h = parse(
                "{\"type\":\"invoke\",\"process\":1,\"f\":\"write\",\"value\":1,\"time\":1}",
                "{\"type\":\"invoke\",\"process\":2,\"f\":\"write\",\"value\":2,\"time\":2}",
                "{\"type\":\"info\",\"process\":1,\"f\":\"write\",\"value\":1,\"time\":3}",
                // process 1 carries on after its info, as a harness that reuses ids would do
                "{\"type\":\"invoke\",\"process\":1,\"f\":\"read\",\"time\":4}",
                "{\"type\":\"fail\",\"process\":1,\"f\":\"read\",\"time\":5}",
                "{\"type\":\"ok\",\"process\":0,\"f\":\"final-read\",\"key\":\"s0\",\"value\":[\"1-1\"],\"time\":6}");
        List<Operation> ops = h.operations();
        assertThat(ops).extracting(Operation::outcome)
                .containsExactly(Outcome.INFO, Outcome.INFO, Outcome.FAIL, Outcome.OK);
        assertThat(ops.get(0).completeTime()).isEqualTo(3);
        assertThat(ops.get(0).linearizationDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(ops.get(1).completeTime()).as("never completed").isEqualTo(Long.MAX_VALUE);
        assertThat(ops.get(3).invokeTime()).as("a completion alone is instantaneous").isEqualTo(6);
        assertThat(ops.get(3).output()).isEqualTo(List.of("1-1"));
    }

    @Test
    void aProcessInvokingTwiceLeavesTheFirstOperationUnknown() throws IOException {
        History h = parse(
                "{\"type\":\"invoke\",\"process\":1,\"f\":\"write\",\"value\":1,\"time\":1}",
                "{\"type\":\"invoke\",\"process\":1,\"f\":\"write\",\"value\":2,\"time\":2}",
                "{\"type\":\"ok\",\"process\":1,\"f\":\"write\",\"value\":2,\"time\":3}");
        assertThat(h.operations()).extracting(Operation::input, Operation::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, Outcome.INFO),
                        org.assertj.core.groups.Tuple.tuple(2L, Outcome.OK));
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> parse("{\"type\":\"invoke\",\"process\":1,\"f\":\"read\",\"time\":1}", "{oops"))
                .isInstanceOf(HistoryFormatException.class).hasMessageStartingWith("line 2: not JSON")
                .satisfies(e -> assertThat(((HistoryFormatException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> parse("{\"type\":\"invoke\",\"f\":\"read\",\"time\":1}"))
                .hasMessage("line 1: missing \"process\"");
        assertThatThrownBy(() -> parse("{\"type\":\"begin\",\"process\":1,\"f\":\"read\",\"time\":1}"))
                .hasMessageStartingWith("line 1: unknown type \"begin\"");
        assertThatThrownBy(() -> parse("{\"type\":\"ok\",\"process\":1,\"f\":\"read\",\"time\":\"soon\"}"))
                .hasMessageStartingWith("line 1: \"time\" must be an integer");
        assertThatThrownBy(() -> parse("[1,2]")).hasMessage("line 1: expected a JSON object");
        assertThatThrownBy(() -> parse(
                "{\"type\":\"invoke\",\"process\":1,\"f\":\"read\",\"time\":1}",
                "{\"type\":\"ok\",\"process\":1,\"f\":\"write\",\"time\":2}"))
                .hasMessage("line 2: process 1 completes write but invoked read");
        assertThatThrownBy(() -> parse(
                "{\"type\":\"invoke\",\"process\":1,\"f\":\"read\",\"key\":\"a\",\"time\":1}",
                "{\"type\":\"ok\",\"process\":1,\"f\":\"read\",\"key\":\"b\",\"time\":2}"))
                .hasMessage("line 2: process 1 completes read of key b but invoked it on key a");
        assertThatThrownBy(() -> parse(
                "{\"type\":\"invoke\",\"process\":1,\"f\":\"read\",\"time\":5}",
                "{\"type\":\"ok\",\"process\":1,\"f\":\"read\",\"time\":2}"))
                .hasMessageContaining("line 2: ").hasMessageContaining("before its invocation");
    }

    @Test
    void faultWindowsPairStartsWithStops() {
        History h = Histories.builder()
                .nemesis("start", "kill n2", 10).nemesis("start", "partition n1|n3", 20)
                .nemesis("stop", "kill n2", 30).nemesis("start", "pause n4", 40)
                .ok(1, "read", "k", null, null, 0, 50)
                .build();
        assertThat(h.faultWindows()).containsExactly(new FaultWindow("kill n2", 10, 30),
                new FaultWindow("partition n1|n3", 20, 50), new FaultWindow("pause n4", 40, 50));
    }

    @Test
    void valuesAreCanonical() {
        assertThat(Event.invoke(1, "write", null, 3, 0)).isEqualTo(Event.invoke(1, "write", null, 3L, 0));
        assertThat(JsonValues.canonical(List.of(1, "a", Map.of("b", 2.5f)))).isEqualTo(List.of(1L, "a", Map.of("b", 2.5)));
        assertThatThrownBy(() -> JsonValues.canonical(new Object())).isInstanceOf(IllegalArgumentException.class);
    }
}
