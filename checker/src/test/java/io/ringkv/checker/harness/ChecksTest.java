package io.ringkv.checker.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.Histories;
import io.ringkv.checker.history.History;
import io.ringkv.checker.history.Operation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void theRegisterHistoryKeepsRegisterOperationsAndFaultsAndDropsReadsOfUnknownOutcome() {
        History h = Histories.builder()
                .ok(1, "write", "reg-0-0", Map.of("value", "1-0", "seen", List.of()), null, 0, 10)
                .info(2, "read", "reg-0-0", null, 5, 3_000)
                .info(3, "write", "reg-0-0", Map.of("value", "3-0", "seen", List.of()), 6, 3_000)
                .ok(4, "add", "set-0", "4-0", null, 7, 12)
                .ok(5, "read", "reg-0-0", null, Map.of("values", List.of("1-0")), 20, 30)
                .nemesis("start", "kill n2", 8)
                .build();
        History registers = Checks.registerHistory(h);
        assertThat(registers.operations()).extracting(Operation::process).containsExactly(1, 3, 5);
        assertThat(registers.faultWindows()).hasSize(1);
    }
}
