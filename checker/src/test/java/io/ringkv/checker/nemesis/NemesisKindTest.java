package io.ringkv.checker.nemesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NemesisKindTest {

    @Test
    void parsesCommaListsInOrderWithoutRepeats() {
        assertThat(NemesisKind.parseList("partition, kill,partition"))
                .containsExactly(NemesisKind.PARTITION, NemesisKind.KILL);
        assertThat(NemesisKind.parseList("all")).containsExactly(NemesisKind.KILL, NemesisKind.PAUSE, NemesisKind.PARTITION);
        assertThat(NemesisKind.parseList("none")).isEqualTo(List.of());
        assertThat(NemesisKind.parseList("PAUSE")).containsExactly(NemesisKind.PAUSE);
    }

    @Test
    void refusesUnknownNamesAndNoneWithOthers() {
        assertThatThrownBy(() -> NemesisKind.parseList("kill,clock")).hasMessageContaining("unknown nemesis 'clock'");
        assertThatThrownBy(() -> NemesisKind.parseList("none,kill")).hasMessageContaining("cannot be combined");
    }
}
