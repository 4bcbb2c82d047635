package io.ringkv.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Minimum activity behind each verdict of a {@code kv test} run: a property shown on a handful of
 * operations, or on keys nobody sampled, is not shown at all. Each check reads the run's
 * results.json.
 */
final class RunActivity {

    private RunActivity() {
    }

    /** The register workload's operations were checked, spread over several keys. */
    static void registersChecked(KvTestRun run, int minOperations, int minBusyKeys, int opsForBusy) throws IOException {
        JsonNode partitions = run.checker("linearizability").path("partitions");
        int operations = 0;
        int busy = 0;
        for (JsonNode p : partitions) {
            operations += p.path("operations").asInt();
            busy += p.path("operations").asInt() >= opsForBusy ? 1 : 0;
        }
        assertThat(operations).as("register operations checked in %s", run.dir).isGreaterThanOrEqualTo(minOperations);
        assertThat(busy).as("register keys with at least %d operations", opsForBusy).isGreaterThanOrEqualTo(minBusyKeys);
    }

    /** The session checker looked at enough completed reads. */
    static void sessionsChecked(KvTestRun run, int minReads) throws IOException {
        assertThat(run.checker("sessions").path("reads").asInt()).as("reads checked for sessions")
                .isGreaterThanOrEqualTo(minReads);
    }

    /**
     * Both convergence checks judged every key the workloads touched (each register key and each set
     * key), each on all {@code n} of its primaries.
     */
    static void convergenceChecked(KvTestRun run, int n) throws IOException {
        int expected = 0;
        if (run.hasChecker("linearizability")) {
            expected += run.checker("linearizability").path("partitions").size();
        }
        if (run.hasChecker("lost-writes")) {
            expected += run.checker("lost-writes").path("keys").size();
        }
        assertThat(expected).as("keys the workloads touched").isPositive();
        for (String checker : new String[] {"convergence", "convergence-after-final-reads"}) {
            JsonNode keys = run.checker(checker).path("keys");
            assertThat(keys.size()).as("%s: keys judged", checker).isEqualTo(expected);
            for (JsonNode k : keys) {
                assertThat(k.path("replicas").asInt()).as("%s: primaries of %s", checker, k.path("key").asText())
                        .isEqualTo(n);
            }
        }
    }
}
