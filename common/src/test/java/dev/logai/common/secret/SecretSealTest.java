package dev.logai.common.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretSealTest {
    final SecretSeal seal = SecretSeal.of(SecretSeal.newKey());

    @Test
    void aSealedSecretOpensWithTheSameKeyAndContextOnly() {
        String sealed = seal.seal("whsec_abc", "org_1/rule_1");
        assertThat(sealed).startsWith("sealed:v1:").doesNotContain("whsec_");
        assertThat(seal.seal("whsec_abc", "org_1/rule_1")).as("random nonce").isNotEqualTo(sealed);
        assertThat(seal.open(sealed, "org_1/rule_1")).isEqualTo("whsec_abc");
        assertThatThrownBy(() -> seal.open(sealed, "org_2/rule_1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretSeal.of(SecretSeal.newKey()).open(sealed, "org_1/rule_1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretSeal.NONE.open(sealed, "org_1/rule_1")).hasMessageContaining(SecretSeal.ENV);
        String altered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> seal.open(altered, "org_1/rule_1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clearValuesPassAndAKeyMustBe32Bytes() {
        assertThat(seal.open("whsec_old", "c")).isEqualTo("whsec_old");
        assertThat(seal.seal("", "c")).isEmpty();
        assertThat(SecretSeal.NONE.seal("whsec_x", "c")).isEqualTo("whsec_x");
        assertThat(SecretSeal.of(" ").active()).isFalse();
        assertThatThrownBy(() -> SecretSeal.of("c2hvcnQ=")).hasMessageContaining("32");
    }
}
