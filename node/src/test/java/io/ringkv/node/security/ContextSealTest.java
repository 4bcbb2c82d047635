package io.ringkv.node.security;

import io.ringkv.versioning.CausalContextCodec;
import io.ringkv.versioning.VersionVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextSealTest {

    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    private ContextSeal seal(String... keyLines) throws Exception {
        Path d = Files.createTempDirectory(dir, "keys");
        Files.writeString(d.resolve(ContextSeal.KEYS_FILE), String.join("\n", keyLines) + "\n");
        return ContextSeal.load(d);
    }

    @Test
    void aSealedContextOpensOnlyAsItWasSealedAndOnlyInItsCluster() throws Exception {
        String k1 = ContextSeal.newKeyLine("k1", random);
        ContextSeal cluster = seal(k1);
        String context = CausalContextCodec.encode(VersionVector.of(Map.of("n1", 3L, "n2", 1L)));
        String sealed = cluster.seal("cart", context);

        assertThat(cluster.open("cart", sealed)).contains(context);
        assertThat(cluster.open("cart", context)).as("unsealed").isEmpty();
        assertThat(cluster.open("cart", sealed.substring(0, sealed.length() - 2))).as("truncated").isEmpty();
        String forged = CausalContextCodec.encode(VersionVector.of(Map.of("n1", 999_999L)));
        assertThat(cluster.open("cart", forged + sealed.substring(context.length()))).as("another context, same MAC")
                .isEmpty();
        assertThat(seal(ContextSeal.newKeyLine("k1", random)).open("cart", sealed)).as("another cluster's key").isEmpty();
        assertThat(cluster.open("junk", sealed)).as("a context of another data key, whose counters a client drove up")
                .isEmpty();
        assertThat(cluster.open("cart", sealed + "A")).as("one context has one sealed form").isEmpty();
    }

    @Test
    void aNewKeySealsWhileTheOldOneStillOpensContextsInFlight() throws Exception {
        String k1 = ContextSeal.newKeyLine("k1", random);
        String old = seal(k1).seal("k", "ctx");
        ContextSeal rotated = seal(ContextSeal.newKeyLine("k2", random), k1);
        assertThat(rotated.open("k", old)).contains("ctx");
        assertThat(rotated.seal("k", "ctx")).contains(".k2.");
        assertThat(seal(ContextSeal.newKeyLine("k2", random)).open("k", old)).as("once k1 is removed").isEmpty();
    }

    @Test
    void aMissingOrWeakKeyFileStopsTheNode() throws Exception {
        assertThatThrownBy(() -> ContextSeal.load(dir.resolve("none"))).hasMessageContaining("kv certs create-ca");
        assertThatThrownBy(() -> seal("k1:c2hvcnQ")).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> seal("# only a comment")).hasMessageContaining("holds no key");
        String line = ContextSeal.newKeyLine("k1", random);
        assertThatThrownBy(() -> seal(line, ContextSeal.newKeyLine("k1", random))).hasMessageContaining("appears twice");
    }
}
