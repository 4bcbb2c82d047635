package io.ringkv.node.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordHashTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void aHashVerifiesItsPasswordOnlyAndIsSaltedEachTime() {
        String a = PasswordHash.hash("correct horse battery", random);
        String b = PasswordHash.hash("correct horse battery", random);
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
        assertThat(PasswordHash.verify("correct horse battery", a)).isTrue();
        assertThat(PasswordHash.verify("correct horse batterY", a)).isFalse();
        assertThat(PasswordHash.verify("", a)).isFalse();
    }

    @Test
    void malformedOrAbsurdlyCostlyHashesVerifyNothing() {
        String good = PasswordHash.hash("correct horse battery", random);
        assertThat(PasswordHash.verify("x", null)).isFalse();
        assertThat(PasswordHash.verify("x", "plain")).isFalse();
        assertThat(PasswordHash.verify("correct horse battery", good.replace("argon2id", "argon2i"))).isFalse();
        assertThat(PasswordHash.verify("correct horse battery", good.replace("m=19456", "m=99999999"))).isFalse();
        assertThat(PasswordHash.verify("correct horse battery", good.replace("t=2", "t=1000"))).isFalse();
        assertThat(PasswordHash.verify("correct horse battery", good.substring(0, good.length() - 3) + "!!!")).isFalse();
    }

    @Test
    void rolesAndKeyPrefixesLimitAUser() {
        User app = new User("app", "h", Set.of(Role.READ), "app/");
        assertThat(app.may(Role.READ, "app/x")).isTrue();
        assertThat(app.may(Role.READ, "other")).isFalse();
        assertThat(app.may(Role.WRITE, "app/x")).isFalse();
        assertThat(app.may(Role.ADMIN, null)).isFalse();
        User admin = new User("root", "h", Set.of(Role.ADMIN), "");
        assertThat(admin.may(Role.WRITE, "anything")).isTrue();
        assertThat(User.validName("../etc")).isFalse();
    }

    @Test
    void usersMergeUserByUserSoConcurrentChangesAndRemovalsAllSurvive() {
        Users base = Users.NONE.with(new User("a", "h1", Set.of(Role.READ), ""))
                .with(new User("mallory", "h0", Set.of(Role.ADMIN), ""));
        Users removed = base.without("mallory");                                   // one side removes mallory
        Users busy = base.with(new User("b", "h2", Set.of(Role.READ), ""))          // the other changes much
                .with(new User("c", "h3", Set.of(Role.WRITE), "")).with(new User("a", "h4", Set.of(Role.READ), ""));
        Users healed = removed.merge(busy);
        assertThat(healed).isEqualTo(busy.merge(removed));
        assertThat(healed.get("mallory")).as("a removal is not undone").isEmpty();
        assertThat(healed.users().keySet()).containsExactly("a", "b", "c");
        assertThat(healed.get("a").orElseThrow().passwordHash()).isEqualTo("h4");

        Users left = base.with(new User("a", "left", Set.of(Role.READ), ""));
        Users right = base.with(new User("a", "right", Set.of(Role.READ), ""));
        assertThat(left.merge(right)).as("one of two same-version changes, the same everywhere")
                .isEqualTo(right.merge(left));
    }

    @Test
    void usersTravelAsJsonAndComeBackTheSame() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Users users = Users.NONE.with(new User("a", "h1", Set.of(Role.READ, Role.WRITE), "app/")).without("gone");
        assertThat(json.readValue(json.writeValueAsString(users), Users.class)).isEqualTo(users);
    }
}
