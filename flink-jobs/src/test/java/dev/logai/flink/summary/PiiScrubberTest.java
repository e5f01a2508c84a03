package dev.logai.flink.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Property tests: thousands of generated secrets and personal data of every kind, planted in the
 * shapes real log lines have (free text, key=value, JSON, URLs, headers), never survive scrubbing;
 * the same value gets the same placeholder and different values different ones; ordinary log
 * content is left alone. Seeded, so a failure reproduces.
 */
class PiiScrubberTest {
    private static final int CASES = 3_000;
    private final Random random = new Random(20261125L);

    /** One kind of sensitive value: how to generate one, and the placeholder prefix it must become. */
    private record Kind(String name, String placeholder, Function<Random, String> generator) {}

    private static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static final List<Kind> KINDS = List.of(
            new Kind("email", "<EMAIL_", PiiScrubberTest::email),
            new Kind(
                    "ipv4",
                    "<IP_",
                    r -> r.nextInt(1, 256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256)),
            new Kind("ipv6", "<IP_", PiiScrubberTest::ipv6),
            new Kind("card", "<CARD_", PiiScrubberTest::card),
            new Kind("aws key", "<AWS_KEY_", r -> "AKIA" + chars(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)),
            new Kind(
                    "jwt",
                    "<JWT_",
                    r -> "eyJ" + chars(r, B64URL, 20 + r.nextInt(20)) + ".eyJ" + chars(r, B64URL, 30 + r.nextInt(40))
                            + "." + chars(r, B64URL, 43)),
            new Kind("phone", "<PHONE_", PiiScrubberTest::phone));

    private static final List<String> CONTEXTS = List.of(
            "user %s logged in",
            "2026-11-24T10:15:30.123Z ERROR [api] payment failed for %s: timeout after 3000 ms",
            "level=warn msg=\"retrying\" peer=%s attempt=3",
            "{\"ts\":\"2026-11-24T10:15:30Z\",\"level\":\"error\",\"customer\":\"%s\",\"status\":500}",
            "Nov 24 10:15:30 host sshd[4242]: Failed password for invalid user from %s port 52144 ssh2",
            "%s",
            "(%s)",
            "value=%s, next",
            "GET /api/v1/orders?ref=%s HTTP/1.1");

    @Test
    void noPlantedValueOfAnyKindSurvives() {
        for (int i = 0; i < CASES; i++) {
            Kind kind = KINDS.get(random.nextInt(KINDS.size()));
            String value = kind.generator().apply(random);
            String line = String.format(Locale.ROOT, CONTEXTS.get(random.nextInt(CONTEXTS.size())), value);
            String out = new PiiScrubber().scrub(line);
            assertThat(out)
                    .as("%s in: %s", kind.name(), line)
                    .doesNotContain(value)
                    .contains(kind.placeholder());
        }
    }

    @Test
    void secretsInKeyValuePairsHeadersAndUrlsDoNotSurvive() {
        List<String> keys = List.of(
                "password",
                "db_password",
                "passwd",
                "pwd",
                "secret",
                "client_secret",
                "api_key",
                "apiKey",
                "x-api-key",
                "access_token",
                "refresh_token",
                "token",
                "aws_secret_access_key",
                "private_key",
                "session_id",
                "credentials");
        for (int i = 0; i < CASES; i++) {
            String secret = chars(
                    random,
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%^*()-_+",
                    8 + random.nextInt(32));
            String key = keys.get(random.nextInt(keys.size()));
            String line = switch (random.nextInt(6)) {
                case 0 -> "connect " + key + "=" + secret + " host=db1";
                case 1 -> "{\"" + key + "\":\"" + secret + "\",\"user\":\"svc\"}";
                case 2 -> key + ": " + secret;
                case 3 -> "Authorization: Bearer " + secret.replaceAll("[^A-Za-z0-9._~+/=-]", "x");
                case 4 ->
                    "jdbc:postgresql://svc:" + secret.replaceAll("[^A-Za-z0-9!$^*()_+-]", "x")
                            + "@db.internal:5432/app";
                default -> "config " + key + " = '" + secret + "' loaded";
            };
            String planted = line.contains("Bearer ")
                    ? line.substring(line.indexOf("Bearer ") + 7)
                    : line.contains("://svc:")
                            ? line.substring(line.indexOf("://svc:") + 7, line.indexOf("@db."))
                            : secret;
            String out = new PiiScrubber().scrub(line);
            assertThat(out).as(line).doesNotContain(planted);
        }
    }

    @Test
    void theSameValueGetsTheSamePlaceholderAndDifferentValuesDifferentOnes() {
        PiiScrubber scrubber = new PiiScrubber();
        String a = scrubber.scrub("login ok for alice@example.com from 10.0.0.7");
        String b = scrubber.scrub("password reset for bob@example.org; alice@example.com from 10.0.0.7 again");
        assertThat(a).isEqualTo("login ok for <EMAIL_1> from <IP_1>");
        assertThat(b).isEqualTo("password reset for <EMAIL_2>; <EMAIL_1> from <IP_1> again");
        // A new window, a new numbering: placeholders carry nothing from one prompt to the next.
        assertThat(new PiiScrubber().scrub("bob@example.org")).isEqualTo("<EMAIL_1>");
    }

    @Test
    void ordinaryLogContentIsLeftAlone() {
        List<String> lines = List.of(
                "2026-11-24T10:15:30.123Z INFO request completed in 35 ms status=200 bytes=5120",
                "Nov 24 10:15:30 host kernel: [12345.678901] eth0: link up",
                "at com.example.PaymentService.charge(PaymentService.java:142)",
                "GET /api/v1/orders/12345 HTTP/1.1 200 512 0.003",
                "token expired for session, re-authenticating",
                "auth=ok user_id=42 retries=3 version=2.14.1",
                "std::vector<int> resize to 1024 at 12:30:45",
                "checkpoint 4711 completed in 1200 ms (size 13.5 MB)");
        for (String line : lines) {
            assertThat(new PiiScrubber().scrub(line)).as(line).isEqualTo(line);
        }
    }

    @Test
    void scrubbingIsIdempotentAndNeverFailsOnRandomInput() {
        String alphabet = "abcXYZ019@.:-_=/+ \"'{}[]()<>%\t";
        for (int i = 0; i < CASES; i++) {
            String junk = chars(random, alphabet, random.nextInt(120));
            PiiScrubber scrubber = new PiiScrubber();
            String once = scrubber.scrub(junk);
            assertThat(scrubber.scrub(once)).as(junk).isEqualTo(once);
        }
    }

    @Test
    void luhnAcceptsRealTestCardNumbersOnly() {
        assertThat(PiiScrubber.luhn("4111111111111111")).isTrue();
        assertThat(PiiScrubber.luhn("5500005555555559")).isTrue();
        assertThat(PiiScrubber.luhn("4111111111111112")).isFalse();
        assertThat(new PiiScrubber().scrub("order 4111 1111 1111 1111 charged")).isEqualTo("order <CARD_1> charged");
        assertThat(new PiiScrubber().scrub("trace 4111111111111112 done")).isEqualTo("trace 4111111111111112 done");
    }

    private static String chars(Random r, String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String email(Random r) {
        String local = chars(r, "abcdefghijklmnopqrstuvwxyz", 1)
                + chars(r, "abcdefghijklmnopqrstuvwxyz0123456789._+-", r.nextInt(15))
                + chars(r, "abcdefghijklmnopqrstuvwxyz0123456789", 1);
        String domain = chars(r, "abcdefghijklmnopqrstuvwxyz", 2 + r.nextInt(10));
        String sub = r.nextBoolean() ? chars(r, "abcdefghijklmnopqrstuvwxyz", 2 + r.nextInt(5)) + "." : "";
        String tld = List.of("com", "org", "io", "de", "co.uk", "example").get(r.nextInt(6));
        String e = local + "@" + sub + domain + "." + tld;
        return r.nextInt(4) == 0 ? e.toUpperCase(Locale.ROOT) : e;
    }

    private static String ipv6(Random r) {
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            groups.add(Integer.toHexString(r.nextInt(0x10000)));
        }
        if (r.nextBoolean()) {
            return String.join(":", groups);
        }
        int from = r.nextInt(7);
        int to = from + 1 + r.nextInt(7 - from);
        String head = String.join(":", groups.subList(0, from));
        String tail = String.join(":", groups.subList(to, 8));
        if (head.isEmpty() && tail.isEmpty()) {
            tail = "1";
        }
        return head + "::" + tail;
    }

    private static String card(Random r) {
        int length = 13 + r.nextInt(7);
        StringBuilder digits = new StringBuilder().append(1 + r.nextInt(9));
        while (digits.length() < length - 1) {
            digits.append(r.nextInt(10));
        }
        for (int check = 0; check < 10; check++) {
            if (PiiScrubber.luhn(digits.toString() + check)) {
                digits.append(check);
                break;
            }
        }
        String d = digits.toString();
        if (length == 16 && r.nextBoolean()) {
            String sep = r.nextBoolean() ? " " : "-";
            return d.substring(0, 4) + sep + d.substring(4, 8) + sep + d.substring(8, 12) + sep + d.substring(12);
        }
        return d;
    }

    private static String phone(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> "+" + (1 + r.nextInt(99)) + " " + (100 + r.nextInt(900)) + " " + (1000000 + r.nextInt(9000000));
            case 1 -> "+" + (1 + r.nextInt(99)) + (100000000L + r.nextInt(900000000));
            case 2 -> "(" + (200 + r.nextInt(800)) + ") " + (200 + r.nextInt(800)) + "-" + (1000 + r.nextInt(9000));
            default -> (200 + r.nextInt(800)) + "-" + (200 + r.nextInt(800)) + "-" + (1000 + r.nextInt(9000));
        };
    }
}
