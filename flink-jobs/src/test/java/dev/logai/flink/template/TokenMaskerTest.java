package dev.logai.flink.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenMaskerTest {
    @Test
    void masksValuesAndKeepsTheWordsAndPunctuationAround() {
        assertThat(
                        TokenMasker.mask(
                                "Receiving block blk_-7646004878694144580 src: /10.251.202.181:47130 dest: /10.251.202.181:50010"))
                .isEqualTo("Receiving block <*> src: <*>:<*> dest: <*>:<*>");
        assertThat(TokenMasker.mask("Failed password for root from 183.62.140.253 port 40010 ssh2"))
                .isEqualTo("Failed password for root from <*> port <*> ssh2");
        assertThat(TokenMasker.mask("jk2_init() Found child 3746 in scoreboard slot 7"))
                .isEqualTo("jk2_init() Found child <*> in scoreboard slot <*>");
        assertThat(TokenMasker.mask("Block broadcast_39 stored (estimated size 9.2 KB, free 868.3 KB)"))
                .isEqualTo("Block <*> stored (estimated size <*>, free <*>)");
        assertThat(TokenMasker.mask("generating core.114")).isEqualTo("generating core.<*>");
        assertThat(TokenMasker.mask("program interrupt: illegal instruction......0"))
                .isEqualTo("program interrupt: illegal instruction......<*>");
        assertThat(TokenMasker.mask("connection from 84.102.20.2 () at Sun Jul 24 02:38:22 2005"))
                .isEqualTo("connection from <*> (<*>) at <*> <*> <*> <*>:<*>:<*> <*>");
        assertThat(TokenMasker.mask("IPV6 Addr: fe80:0:0:0:c6b3:1ff:fecd:467f and MAC 00:1a:2b:3c:4d:5e"))
                .isEqualTo("IPV6 Addr: <*> and MAC <*>");
        assertThat(TokenMasker.mask("Session: 30546354_3209865774 on 2016-09-28 id 0x7f3a"))
                .isEqualTo("Session: <*>_<*> on <*>-<*>-<*> id <*>");
        assertThat(TokenMasker.mask("GET https://example.com/a?b=1 took 12ms id=5f0c6e1a-9b1e-4e43-8d3a-0f0d5f7e2b11"))
                .isEqualTo("GET https://<*> took <*> id=<*>");
        assertThat(TokenMasker.mask("opened /var/log/app/current.log mask=ffffffff"))
                .isEqualTo("opened <*> mask=<*>");
    }

    @Test
    void hostNamesAndHostPortsAreVariables() {
        assertThat(TokenMasker.mask(
                        "chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS"))
                .isEqualTo("chrome.exe - <*>:<*> open through proxy <*>:<*> HTTPS");
        assertThat(TokenMasker.mask("reverse mapping checking getaddrinfo for ns.example.com [1.2.3.4] failed"))
                .isEqualTo("reverse mapping checking getaddrinfo for <*> [<*>] failed");
        assertThat(TokenMasker.mask("connected to db-primary.prod.internal rhost=zummit.com"))
                .isEqualTo("connected to <*> rhost=<*>");
        // package names, file names and dotted words are not hosts
        assertThat(TokenMasker.mask("com.apple.xpc.launchd loaded setup.py and org.apache.hadoop.mapred.Task"))
                .isEqualTo("com.apple.xpc.launchd loaded setup.py and org.apache.hadoop.mapred.Task");
    }

    @Test
    void personalDataNeverStaysInATemplate() {
        assertThat(TokenMasker.mask("password reset for jane.doe+test@example.co.uk requested"))
                .isEqualTo("password reset for <*> requested");
        assertThat(TokenMasker.mask("mail from=<bob@mail.example.org>, size=120"))
                .isEqualTo("mail from=<<*>>, size=<*>");
        assertThat(TokenMasker.mask("logon failure for CORP\\jsmith on C:\\Users\\jsmith\\file.txt"))
                .isEqualTo("logon failure for <*> on C:<*>");
    }

    @Test
    void runsOfDashesAreAbsentValuesButALoneDashIsASeparator() {
        assertThat(TokenMasker.mask("[req-1 - - - - -] VM Started"))
                .isEqualTo(TokenMasker.mask("[req-2 abcdef0123 abcdef0123 - - -] VM Started"))
                .isEqualTo("[<*> <*> <*> <*> <*> <*>] VM Started");
        assertThat(TokenMasker.mask("chrome.exe - open failed - POSSIBLE BREAK-IN ATTEMPT!"))
                .isEqualTo("chrome.exe - open failed - POSSIBLE BREAK-IN ATTEMPT!");
    }

    @Test
    void secretsAreVariablesEvenWhenTheyAreWords() {
        assertThat(TokenMasker.mask("login with password=hunter password: swordfish \"api_key\":\"abc\" X-Api-Key=zz"))
                .isEqualTo("login with password=<*> password: <*> \"api_key\":\"<*>\" X-Api-Key=<*>");
        assertThat(TokenMasker.mask("key AKIAIOSFODNN7EXAMPLE token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"))
                .isEqualTo("key <*> token <*>");
        assertThat(TokenMasker.mask("Authorization: Bearer eyJhbGciOi-J9.eyJzdWIiO_xIn0.c2l-n_9Kx"))
                .isEqualTo("Authorization: Bearer <*>");
        assertThat(TokenMasker.mask("login password = hunter cli --password swordfish --api-key k3y"))
                .isEqualTo("login password = <*> cli --password <*> --api-key <*>");
        assertThat(TokenMasker.mask("invalid password for root")).isEqualTo("invalid password for root");
        // keys that merely contain such a word are not secrets
        assertThat(TokenMasker.mask("input_userauth_request: invalid user admin [preauth]"))
                .isEqualTo("input_userauth_request: invalid user admin [preauth]");
    }

    @Test
    void emptyBracketsAreAnEmptyValue() {
        assertThat(TokenMasker.mask("connection from 1.2.3.4 () at x"))
                .isEqualTo(TokenMasker.mask("connection from 1.2.3.4 (a.b.com) at x"));
        assertThat(TokenMasker.mask("tags [] set")).isEqualTo("tags [<*>] set");
    }

    @Test
    void longLinesAndTokensStayBounded() {
        String huge = "x".repeat(5_000);
        assertThat(TokenMasker.mask("value " + huge + " end")).isEqualTo("value <*> end");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 10_000; i++) many.append("word").append(i % 7).append(' ');
        StringBuilder out = new StringBuilder();
        int tokens = TokenMasker.mask(many, 128, out);
        assertThat(tokens).isEqualTo(128);
        assertThat(out.toString().split(" ")).hasSize(128);
        assertThat(out.toString()).endsWith(" <*>");
    }

    /** Property: masking a masked message changes nothing, for generated messages of mixed parts. */
    @Test
    void maskingIsIdempotent() {
        String[] parts = {
            "user",
            "id=42",
            "(x)",
            "[a:1]",
            "0x1F",
            "10.0.0.1:80",
            "/a/b/c",
            "blk_-12",
            "ssh2",
            "KB",
            "9.5",
            "Jul",
            "12:00:01",
            "\"q\"",
            "a..b",
            "core.7",
            "--",
            "<*>",
            "x<*>y",
            "é",
            "2020-01-02",
            "ffffffff",
            ",",
            "=",
            "fe80::1",
            "http://h/p",
            "a@b.c",
            "100%",
            "{k=v}",
            "|",
            "'s'"
        };
        Random random = new Random(42);
        for (int n = 0; n < 5_000; n++) {
            StringBuilder msg = new StringBuilder();
            int len = 1 + random.nextInt(12);
            for (int i = 0; i < len; i++) {
                if (i > 0) msg.append(random.nextInt(5) == 0 ? "" : " ");
                msg.append(parts[random.nextInt(parts.length)]);
            }
            String once = TokenMasker.mask(msg);
            assertThat(TokenMasker.mask(once)).as("mask(mask(%s))", msg).isEqualTo(once);
        }
    }
}
