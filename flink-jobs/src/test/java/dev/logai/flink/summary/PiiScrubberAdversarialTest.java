package dev.logai.flink.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Crafted 16 KB values, the inputs that made the backtracking patterns quadratic (10 s per value),
 * are scrubbed correctly; and the linear-time bound is structural: every pattern is an RE2/J
 * pattern, whose matching time is linear in the text by construction.
 */
class PiiScrubberAdversarialTest {
    private static final int SIZE = 16 * 1024;

    @Test
    void everyPatternIsAnRe2jPattern() throws Exception {
        List<String> patterns = new ArrayList<>();
        for (Field field : PiiScrubber.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            assertThat(field.getType()).as(field.getName()).isNotEqualTo(java.util.regex.Pattern.class);
            if (field.getType() == com.google.re2j.Pattern.class) {
                patterns.add(field.getName());
            }
        }
        assertThat(patterns).contains("JWT", "KEY_VALUE", "EMAIL", "CARD", "IPV6_CANDIDATE", "IPV4", "PHONE");
    }

    @Test
    void craftedValuesWithoutPersonalDataAreLeftAlone() {
        List<String> inputs = List.of(
                "a.".repeat(SIZE / 2), // e-mail local parts without an @
                "a".repeat(SIZE) + "@", // an @ without a domain
                "1".repeat(SIZE), // card and phone digits glued together
                "1.".repeat(SIZE / 2), // dotted quads glued together
                "1-".repeat(SIZE / 2), // grouped digits without an end
                "password".repeat(SIZE / 8), // secret keys without a value
                "eyJ" + "a".repeat(SIZE), // a JWT without its dots
                "bearer".repeat(SIZE / 6), // token schemes without a token
                "x://" + "a".repeat(SIZE) + ":" // a URL user without a password
                );
        for (String input : inputs) {
            assertThat(new PiiScrubber().scrub(input))
                    .as(input.substring(0, 12))
                    .isEqualTo(input);
        }
    }

    @Test
    void craftedValuesHoldingPersonalDataAreScrubbed() {
        String local = "a".repeat(SIZE);
        assertThat(new PiiScrubber().scrub(local + "@example.com")).isEqualTo("<EMAIL_1>");
        assertThat(new PiiScrubber().scrub("password=" + "x".repeat(SIZE))).isEqualTo("password=<SECRET_1>");
        assertThat(new PiiScrubber().scrub("a.".repeat(SIZE / 2) + " 10.1.2.3")).endsWith(" <IP_1>");
        assertThat(new PiiScrubber().scrub("1-".repeat(SIZE / 2) + " 4111 1111 1111 1111"))
                .endsWith(" <CARD_1>");
        assertThat(new PiiScrubber().scrub("eyJ" + "a".repeat(SIZE) + " token=eyJabcdef.eyJabcdef.sig"))
                .endsWith(" token=<JWT_1>");
    }
}
