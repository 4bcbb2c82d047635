package io.ringkv.node.security;

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
    void concurrentChangesToTheUsersSettleOnOneEverywhere() {
        Users base = Users.NONE.with(new User("a", "h1", Set.of(Role.READ), ""));
        Users left = base.with(new User("b", "h2", Set.of(Role.READ), ""));
        Users right = base.with(new User("c", "h3", Set.of(Role.WRITE), ""));
        assertThat(left.version()).isEqualTo(right.version());
        assertThat(left.supersededBy(right)).isNotEqualTo(right.supersededBy(left));
        assertThat(base.supersededBy(left)).isTrue();
        assertThat(left.supersededBy(base)).isFalse();
    }
}
