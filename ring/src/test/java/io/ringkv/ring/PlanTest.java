package io.ringkv.ring;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanTest {

    private final Ring three = Ring.create(64, List.of("n1", "n2", "n3"), 3);

    @Test
    void aJoinPlanIsOneVersionAheadAndMovesOnlyTheJoinersShare() {
        Plan plan = Plan.of(three, List.of(Change.join("n4")), 3);
        assertThat(plan.next().version()).isEqualTo(three.version() + 1);
        assertThat(plan.next().members()).containsExactly("n1", "n2", "n3", "n4");
        assertThat(plan.movedPartitions()).hasSize(16);
        assertThat(plan.transfers()).allSatisfy(t -> assertThat(t.to()).isEqualTo("n4"));
        assertThat(plan.transfers()).isEqualTo(three.transfersTo(plan.next(), 3));
    }

    @Test
    void changesApplyInOrder() {
        Plan plan = Plan.of(three, List.of(Change.join("n4"), Change.join("n5"), Change.leave("n1")), 3);
        assertThat(plan.next().members()).containsExactly("n2", "n3", "n4", "n5");
        assertThat(plan.next().isBalanced()).isTrue();
        assertThat(plan.transfers()).noneMatch(t -> t.to().equals("n1"));
    }

    @Test
    void refusesWhatCannotBeDoneSafely() {
        assertThatThrownBy(() -> Plan.of(three, List.of(), 3)).hasMessageContaining("no staged changes");
        assertThatThrownBy(() -> Plan.of(three, List.of(Change.join("n2")), 3)).hasMessageContaining("already a member");
        assertThatThrownBy(() -> Plan.of(three, List.of(Change.leave("n9")), 3)).hasMessageContaining("not a member");
        assertThatThrownBy(() -> Plan.of(three, List.of(Change.join("n4"), Change.join("n4")), 3))
                .hasMessageContaining("more than once");
        assertThatThrownBy(() -> Plan.of(three, List.of(Change.leave("n3")), 3))
                .isInstanceOf(Plan.RefusedException.class)
                .hasMessageContaining("fewer than 3 distinct owners");
        assertThat(Plan.of(three, List.of(Change.leave("n3")), 2).next().members()).containsExactly("n1", "n2");
    }
}
