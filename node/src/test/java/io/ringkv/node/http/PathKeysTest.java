package io.ringkv.node.http;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathKeysTest {

    /** Any key a client percent-encodes comes back exactly, whatever its characters. */
    @Property
    void decodesWhatAClientEncodes(@ForAll @StringLength(min = 1, max = 200) String key) {
        String valid = new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        String encoded = URLEncoder.encode(valid, StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(PathKeys.decode(encoded)).isEqualTo(valid);
    }

    @Test
    void aPlusIsAPlusAndSlashesAreKept() {
        assertThat(PathKeys.decode("a+b/c")).isEqualTo("a+b/c");
    }

    @Test
    void refusesMalformedEscapesInvalidUtf8EmptyAndOverlongKeys() {
        for (String bad : new String[] {"", "%", "%4", "%ZZ", "ab%e", "%C3%28", "%FF"}) {
            assertThatThrownBy(() -> PathKeys.decode(bad)).as(bad).isInstanceOf(ApiError.class)
                    .satisfies(e -> assertThat(((ApiError) e).error).isEqualTo("invalid_key"));
        }
        assertThat(PathKeys.decode("k".repeat(1024))).hasSize(1024);
        assertThatThrownBy(() -> PathKeys.decode("k".repeat(1025))).isInstanceOf(ApiError.class);
        // 1024 bytes of UTF-8 is the limit, not 1024 characters.
        assertThatThrownBy(() -> PathKeys.decode("%C3%A9".repeat(513))).isInstanceOf(ApiError.class);
    }
}
