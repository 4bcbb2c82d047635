package io.ringkv.checker.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicFormatsTest {

    @Test
    void jepsenEtcdLogFollowsPorcupinesRules() throws IOException {
        String log = String.join("\n",
                "INFO  jepsen.util - 4\t:invoke\t:read\tnil",
                "INFO  jepsen.util - 4\t:ok\t:read\tnil",
                "INFO  jepsen.util - 1\t:invoke\t:write\t1",
                "INFO  jepsen.util - 2\t:invoke\t:cas\t[2 4]",
                "INFO  jepsen.util - 1\t:ok\t:write\t1",
                "INFO  jepsen.util - 2\t:fail\t:cas\t[2 4]",
                "INFO  jepsen.util - 3   :invoke   :write   7",
                "INFO  jepsen.util - 3\t:info\t:write\t:timed-out",
                "INFO  jepsen.util - 0\t:invoke\t:read\tnil",
                "INFO  jepsen.util - 0\t:fail\t:read\t:timed-out",
                "INFO  jepsen.core - some unrelated line");
        History h = JepsenEtcdLog.read(new StringReader(log));
        List<Operation> ops = h.operations();
        assertThat(ops).extracting(Operation::f).containsExactly("read", "write", "cas", "write", "read");
        assertThat(ops.get(0).output()).isNull();
        assertThat(ops.get(2).input()).isEqualTo(List.of(2L, 4L));
        assertThat(ops.get(2).outcome()).as("a failed compare is a completed cas").isEqualTo(Outcome.OK);
        assertThat(ops.get(2).output()).isEqualTo(false);
        assertThat(ops.get(3).outcome()).as(":info lines are ignored: the write stays open").isEqualTo(Outcome.INFO);
        assertThat(ops.get(3).linearizationDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(ops.get(4).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(ops.get(1).invokeTime()).as("times are line numbers").isEqualTo(3);
    }

    @Test
    void porcupineKvLogReadsEdnMaps() throws IOException {
        String log = String.join("\n",
                "{:process 6, :type :invoke, :f :append, :key \"0\", :value \"x 6 0 y\"}",
                "{:process 8, :type :invoke, :f :get, :key \"9\", :value nil}",
                "{:process 6, :type :ok, :f :append, :key \"0\", :value \"x 6 0 y\"}",
                "{:process 8, :type :ok, :f :get, :key \"9\", :value \"\"}");
        History h = PorcupineKvLog.read(new StringReader(log));
        assertThat(h.operations()).extracting(Operation::f, Operation::key, Operation::input, Operation::output)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("append", "0", "x 6 0 y", "x 6 0 y"),
                        org.assertj.core.groups.Tuple.tuple("get", "9", null, ""));
    }

    @Test
    void porcupineKvLogRefusesOtherLines() {
        assertThatThrownBy(() -> PorcupineKvLog.read(new StringReader(
                "{:process 6, :type :invoke, :f :get, :key \"0\", :value nil}\n{:process 6, :type :ok, :f :scan}")))
                .isInstanceOf(HistoryFormatException.class).hasMessageStartingWith("line 2: expected");
    }
}
