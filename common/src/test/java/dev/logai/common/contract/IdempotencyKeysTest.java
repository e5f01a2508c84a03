package dev.logai.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {
    @Test
    void acceptsOneTo255PrintableAsciiCharacters() {
        assertThat(IdempotencyKeys.isValid("a")).isTrue();
        assertThat(IdempotencyKeys.isValid("8e03978e-40d5-43e8-bc93-6894a57f9324"))
                .isTrue();
        assertThat(IdempotencyKeys.isValid("\"quoted as the IETF draft writes it\""))
                .isTrue();
        assertThat(IdempotencyKeys.isValid("x".repeat(255))).isTrue();
    }

    @Test
    void refusesEmptyTooLongControlAndNonAscii() {
        assertThat(IdempotencyKeys.isValid(null)).isFalse();
        assertThat(IdempotencyKeys.isValid("")).isFalse();
        assertThat(IdempotencyKeys.isValid("x".repeat(256))).isFalse();
        assertThat(IdempotencyKeys.isValid("a\tb")).isFalse();
        assertThat(IdempotencyKeys.isValid("a\u007Fb")).isFalse();
        assertThat(IdempotencyKeys.isValid("clé")).isFalse();
    }
}
