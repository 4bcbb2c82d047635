package io.ringkv.checker.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringkv.checker.history.EventType;
import io.ringkv.client.KvException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

class OutcomesTest {

    @Test
    void refusalsFailAndEverythingElseIsUnknown() {
        assertThat(Outcomes.classify(new KvException(503, "insufficient_replicas", "x"))).isEqualTo(EventType.FAIL);
        assertThat(Outcomes.classify(new KvException(503, "overloaded", "x"))).isEqualTo(EventType.FAIL);
        assertThat(Outcomes.classify(new KvException(400, "invalid_context", "x"))).isEqualTo(EventType.FAIL);
        assertThat(Outcomes.classify(new KvException("PUT /kv/a: refused", new ConnectException("Connection refused"))))
                .isEqualTo(EventType.FAIL);
        assertThat(Outcomes.classify(new KvException(503, "unavailable", "x"))).isEqualTo(EventType.INFO);
        assertThat(Outcomes.classify(new KvException("PUT /kv/a: timed out", new HttpTimeoutException("timed out"))))
                .isEqualTo(EventType.INFO);
        assertThat(Outcomes.classify(new IllegalStateException("garbled"))).isEqualTo(EventType.INFO);
    }

    @Test
    void describesTheErrorBriefly() {
        assertThat(Outcomes.describe(new KvException(503, "unavailable", "long message"))).isEqualTo("503 unavailable");
        assertThat(Outcomes.describe(new KvException("GET http://x/kv/a: timed out", new HttpTimeoutException("t"))))
                .isEqualTo("timed out");
    }
}
