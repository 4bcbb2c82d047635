package io.ringkv.checker.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.nemesis.FaultSchedule;
import io.ringkv.checker.nemesis.NemesisKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PromisesTest {

    static RunConfig config(int n, int r, int w, boolean sloppy, String readRepair, String conflicts, String workload) {
        FaultSchedule.Range range = new FaultSchedule.Range(Duration.ofSeconds(5), Duration.ofSeconds(10));
        return new RunConfig(3, n, r, w, sloppy, readRepair, conflicts, workload, List.of(NemesisKind.KILL),
                Duration.ofSeconds(60), 50, 10, 5, 150, 42, Duration.ofSeconds(3), range, range, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(60), 7570, Path.of("kv.jar"), Path.of("runs/x"), List.of(),
                false, "iptables");
    }

    private static Map<String, Boolean> promised(RunConfig c) {
        return Promises.of(c).stream().collect(Collectors.toMap(Promises.Promise::checker, Promises.Promise::promised));
    }

    @Test
    void strictQuorumsWithSynchronousReadRepairPromiseEverything() {
        assertThat(promised(config(3, 2, 2, false, "sync", "siblings", "mixed"))).isEqualTo(Map.of(
                "linearizability", true, "sessions", true, "lost-writes", true, "convergence", true,
                "convergence-after-final-reads", true));
    }

    @Test
    void eachWeakeningTakesLinearizabilityAway() {
        assertThat(promised(config(3, 2, 2, true, "sync", "siblings", "register")).get("linearizability")).isFalse();
        assertThat(promised(config(3, 1, 1, false, "sync", "siblings", "register")).get("linearizability")).isFalse();
        assertThat(promised(config(3, 2, 2, false, "async", "siblings", "register")).get("linearizability")).isFalse();
        assertThat(promised(config(3, 2, 2, false, "sync", "lww", "register")).get("linearizability")).isFalse();
        assertThat(promised(config(3, 3, 1, false, "sync", "siblings", "register")).get("linearizability")).isTrue();
    }

    @Test
    void onlyLastWriterWinsMayLoseAcknowledgedWrites() {
        assertThat(promised(config(3, 1, 1, true, "async", "siblings", "set"))).isEqualTo(Map.of(
                "lost-writes", true, "convergence", true, "convergence-after-final-reads", true));
        assertThat(promised(config(3, 2, 2, false, "sync", "lww", "set")).get("lost-writes")).isFalse();
    }

    @Test
    void theReasonNamesWhatBreaksTheGuarantee() {
        Promises.Promise lin = Promises.of(config(3, 1, 1, true, "sync", "siblings", "register")).get(0);
        assertThat(lin.why()).contains("r + w <= n").contains("sloppy quorums");
    }
}
