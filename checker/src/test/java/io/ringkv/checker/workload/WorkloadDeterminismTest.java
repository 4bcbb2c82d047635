package io.ringkv.checker.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.history.Event;
import io.ringkv.checker.history.EventType;
import io.ringkv.checker.history.HistoryWriter;
import io.ringkv.client.KvClient;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives a thread the same operations, whatever the cluster answers: here nothing
 * answers at all (a port nobody listens on), so every request is refused, recorded as FAIL.
 */
class WorkloadDeterminismTest {

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static List<String> invocations(Workload workload, long seed, int port) throws IOException {
        StringWriter out = new StringWriter();
        try (KvClient client = KvClient.builder().nodes("127.0.0.1:" + port).connectTimeout(Duration.ofSeconds(1)).build()) {
            HistoryRecorder recorder = new HistoryRecorder(new HistoryWriter(out));
            WorkerContext ctx = new WorkerContext(3, 10, new Random(seed), client, recorder, Duration.ofSeconds(1));
            for (int i = 0; i < 60; i++) {
                workload.perform(ctx);
            }
            assertThat(recorder.failCount()).as("a refused connection is a certain failure").isEqualTo(60);
        }
        return Stream.of(out.toString().split("\n")).filter(l -> l.contains("\"invoke\""))
                .map(l -> l.replaceAll("\"time\":\\d+", "")).toList();
    }

    @Test
    void theSameSeedGivesTheSameOperations() throws IOException {
        int port = closedPort();
        List<String> a = invocations(new MixedWorkload(new RegisterWorkload(3, 20, 4), new SetWorkload(2)), 7, port);
        List<String> b = invocations(new MixedWorkload(new RegisterWorkload(3, 20, 4), new SetWorkload(2)), 7, port);
        List<String> c = invocations(new MixedWorkload(new RegisterWorkload(3, 20, 4), new SetWorkload(2)), 8, port);
        assertThat(a).hasSize(60).isEqualTo(b).isNotEqualTo(c);
        assertThat(String.join("\n", a)).contains("\"f\":\"add\"").contains("\"f\":\"write\"").contains("\"f\":\"read\"");
    }

    @Test
    void registerKeysRetireAfterTheirShareOfOperations() throws IOException {
        RegisterWorkload w = new RegisterWorkload(2, 10, 2);   // generations of 10 operations per thread
        invocations(w, 1, closedPort());
        assertThat(w.keys()).allMatch(k -> k.matches("reg-[0-5]-[01]")).contains("reg-5-0", "reg-5-1");
    }

    @Test
    void anUnknownOutcomeMovesTheThreadToANewProcess() throws IOException {
        StringWriter out = new StringWriter();
        try (KvClient client = KvClient.connect("127.0.0.1:1")) {
            WorkerContext ctx = new WorkerContext(3, 10, new Random(1), client,
                    new HistoryRecorder(new HistoryWriter(out)), Duration.ofSeconds(1));
            ctx.complete(EventType.FAIL, "read", "k", null);
            assertThat(ctx.process()).isEqualTo(3);
            ctx.complete(EventType.INFO, "read", "k", null);
            assertThat(ctx.process()).isEqualTo(13);
        }
        assertThat(out.toString()).contains(Event.fail(3, "read", "k", null, 0).type().jsonName());
    }
}
