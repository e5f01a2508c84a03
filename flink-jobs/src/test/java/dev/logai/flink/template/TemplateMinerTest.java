package dev.logai.flink.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TemplateMinerTest {
    @Test
    void linesOfOneKindShareATemplateAndItsId() {
        TemplateMiner miner = new TemplateMiner();
        Template a = miner.match("Received block blk_1 of size 91178 from /10.250.10.6", 1)
                .template();
        Template b = miner.match("Received block blk_-99 of size 7 from /10.250.10.7", 2)
                .template();
        assertThat(b).isSameAs(a);
        assertThat(a.text()).isEqualTo("Received block <*> of size <*> from <*>");
        assertThat(a.id()).isEqualTo(TemplateIds.of(a.text())).matches("[0-9a-f]{16}");
        assertThat(a.count()).isEqualTo(2);
    }

    @Test
    void aPositionBecomesVariableOnlyAfterThreeDifferentValues() {
        TemplateMiner miner = new TemplateMiner();
        Template root = miner.match("Failed password for root from 1.2.3.4 port 22 ssh2", 1)
                .template();
        Template admin = miner.match("Failed password for admin from 1.2.3.5 port 22 ssh2", 2)
                .template();
        assertThat(admin).isNotSameAs(root); // two values could still be two events
        TemplateMiner.Match third = miner.match("Failed password for oracle from 1.2.3.6 port 22 ssh2", 3);
        assertThat(third.template().text()).isEqualTo("Failed password for <*> from <*> port <*> ssh2");
        assertThat(third.created()).isFalse();
        assertThat(root.current()).isSameAs(third.template());
        assertThat(third.template().count()).isEqualTo(3);
        // and from now on any user matches it
        assertThat(miner.match("Failed password for bob from 9.9.9.9 port 1 ssh2", 4)
                        .template())
                .isSameAs(third.template());
        assertThat(TemplateMiner.parameters(third.template(), "Failed password for bob from 9.9.9.9 port 1 ssh2"))
                .containsExactly("bob", "9.9.9.9", "1");
    }

    @Test
    void mergedVariablesKeepTheSharedPunctuation() {
        TemplateMiner miner = new TemplateMiner();
        for (String host : List.of("zummit.com", "a.example.org", "host.net", "other.io")) {
            miner.match("authentication failure; logname= uid=0 rhost=" + host + " user=root", 1);
        }
        assertThat(miner.templates())
                .extracting(Template::text)
                .containsExactly("authentication failure; logname= uid=<*> rhost=<*> user=root");
    }

    @Test
    void shortMessagesNeverMerge() {
        TemplateMiner miner = new TemplateMiner();
        for (String word : List.of("boot", "halt", "wait", "reboot")) miner.match(word + " (command 1234)", 1);
        for (String state : List.of("running", "normal", "warning", "critical")) miner.match(state, 1);
        assertThat(miner.size()).isEqualTo(8);
    }

    /** Fault kind: a message that starts with a variable (program, host, id) made one template per value. */
    @Test
    void aVariableFirstTokenMerges() {
        Random random = new Random(11);
        TemplateMiner miner = new TemplateMiner();
        List<Template> assigned = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String program = randomWord(random) + (random.nextBoolean() ? ".exe" : "");
            assigned.add(miner.match(
                            program + " - " + randomWord(random) + ".example.com:" + (1024 + random.nextInt(60000))
                                    + " close, " + random.nextInt(9999) + " bytes sent, " + random.nextInt(999)
                                    + " bytes received, lifetime 00:0" + random.nextInt(9),
                            i)
                    .template());
        }
        assertThat(assigned.stream().map(Template::current).distinct().count()).isEqualTo(1);
        assertThat(assigned.get(0).current().text())
                .isEqualTo("<*> - <*>:<*> close, <*> bytes sent, <*> bytes received, lifetime <*>:<*>");
        assertThat(assigned.get(0).current().count()).isEqualTo(500);
    }

    /** Fault kind: a variable spanning a different number of tokens (a name with a space, an empty value). */
    @Test
    void aVariableMaySpanSeveralTokensOrNone() {
        Random random = new Random(5);
        TemplateMiner miner = new TemplateMiner();
        List<Template> assigned = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int words = random.nextInt(10) < 7 ? 1 : random.nextBoolean() ? 2 : 0;
            StringBuilder user = new StringBuilder();
            for (int w = 0; w < words; w++) user.append(w == 0 ? "" : " ").append(randomWord(random));
            String ip = "10.0." + random.nextInt(255) + "." + random.nextInt(255);
            assigned.add(miner.match("Invalid user " + user + " from " + ip, i).template());
        }
        // the first lines of each shape are not special: they end in the same template
        assertThat(assigned.stream().map(Template::current).distinct())
                .singleElement()
                .extracting(Template::text)
                .isEqualTo("Invalid user <*> from <*>");
        assertThat(assigned.get(0).current().count()).isEqualTo(300);
    }

    /** Fault kind: eager merging made "VM Started / Paused / Resumed / Stopped" one template. */
    @Test
    void recurringStateWordsStayConstant() {
        TemplateMiner miner = new TemplateMiner();
        List<String> states = List.of("Started", "Paused", "Resumed", "Stopped");
        Random random = new Random(3);
        for (int i = 0; i < 40; i++) {
            for (String state : states) miner.match("VM " + state + " (Lifecycle Event)", i);
            // two interfaces recur for a while before a third appears: devices, not a variable
            String nic = i < 10
                    ? List.of("eth0", "eth1").get(i % 2)
                    : List.of("eth0", "eth1", "wlan0").get(random.nextInt(3));
            miner.match("link up on interface " + nic + " speed 1000", i);
        }
        assertThat(miner.templates())
                .extracting(Template::text, Template::count)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("VM Started (Lifecycle Event)", 40L),
                        org.assertj.core.groups.Tuple.tuple("VM Stopped (Lifecycle Event)", 40L));
        assertThat(miner.templates()).extracting(Template::text).noneMatch(t -> t.startsWith("VM <*>"));
        assertThat(miner.templates()).extracting(Template::text).contains("link up on interface eth0 speed <*>");
        // while words that keep being new (user names) become a variable
        for (int i = 0; i < 6; i++) miner.match("session opened for user " + randomWord(random) + " by admin", i);
        assertThat(miner.templates()).extracting(Template::text).contains("session opened for user <*> by admin");
    }

    /**
     * Fault kind: a failure whose retries log it again, line for line, made its user a recurring
     * name ("bob602" seen three times, like {@code eth0}), and every failure of a new user stayed a
     * new template: a "new error template" anomaly each time.
     */
    @Test
    void aFailureLoggedAgainByItsRetriesIsOneEventOfItsUser() {
        TemplateMiner miner = new TemplateMiner();
        Random random = new Random(5);
        long ts = 1_000_000;
        for (int failure = 0; failure < 12; failure++) {
            String line = "SMS provider returned " + (502 + random.nextInt(2)) + " for user " + randomWord(random)
                    + random.nextInt(1000);
            for (int attempt = 0; attempt < 2 + random.nextInt(4); attempt++) {
                miner.match(line, ts + attempt * 300L);
            }
            ts += 60_000 * (1 + random.nextInt(30));
        }
        assertThat(miner.templates())
                .extracting(Template::text)
                .containsExactly("SMS provider returned <*> for user <*>");
    }

    /** Fault kind: a bracketed request/instance prefix before the message kept constant words and ids apart badly. */
    @Test
    void aBracketedPrefixNeitherSplitsNorJoinsMessages() {
        Random random = new Random(21);
        TemplateMiner miner = new TemplateMiner();
        List<String> messages = List.of(
                "VM Started (Lifecycle Event)",
                "VM Stopped (Lifecycle Event)",
                "Terminating instance",
                "Took 12.5 seconds to spawn the instance on the hypervisor.");
        java.util.Map<String, java.util.Set<Template>> byMessage = new java.util.HashMap<>();
        for (int i = 0; i < 200; i++) {
            String message = messages.get(random.nextInt(messages.size()));
            String user = random.nextBoolean() ? hex(random, 32) + " " + hex(random, 32) + " - - -]" : "- - - - -]";
            String line = "[req-" + java.util.UUID.randomUUID() + " " + user + " [instance: "
                    + java.util.UUID.randomUUID() + "] " + message;
            byMessage
                    .computeIfAbsent(message, k -> new java.util.HashSet<>())
                    .add(miner.match(line, i).template());
        }
        java.util.Map<String, java.util.Set<Template>> live = new java.util.HashMap<>();
        byMessage.forEach((message, set) ->
                live.put(message, set.stream().map(Template::current).collect(java.util.stream.Collectors.toSet())));
        assertThat(live.values()).allSatisfy(set -> assertThat(set).hasSize(1));
        assertThat(live.values().stream().map(set -> set.iterator().next()).distinct())
                .hasSize(messages.size());
        assertThat(miner.templates())
                .extracting(Template::text)
                .allSatisfy(t -> assertThat(t).doesNotContainPattern("[0-9a-f]{8}-"));
    }

    private static String hex(Random random, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(Character.forDigit(random.nextInt(16), 16));
        return sb.toString();
    }

    /** Fault kind: host names and e-mail addresses stayed in templates (personal data in a pattern). */
    @Test
    void hostsAndEmailsNeverStayInATemplate() {
        Random random = new Random(9);
        TemplateMiner miner = new TemplateMiner();
        for (int i = 0; i < 50; i++) {
            String email = randomWord(random) + "." + randomWord(random) + "@" + randomWord(random) + ".com";
            String host = randomWord(random) + "." + randomWord(random) + ".internal";
            miner.match("password reset mail to " + email + " sent via " + host, i);
        }
        assertThat(miner.templates())
                .extracting(Template::text)
                .containsExactly("password reset mail to <*> sent via <*>");
    }

    /** Property: what the summary's PII scrubber would replace never survives into a template text. */
    @Test
    void templatesHoldNothingThePiiScrubberWouldReplace() {
        Random random = new Random(17);
        TemplateMiner miner = new TemplateMiner();
        java.util.Set<Template> created = new java.util.HashSet<>();
        for (int i = 0; i < 400; i++) {
            String value = switch (i % 9) {
                case 0 -> randomWord(random) + "." + randomWord(random) + "@" + randomWord(random) + ".org";
                case 1 ->
                    "eyJ" + randomWord(random) + "A-b1." + "eyJ" + randomWord(random) + "9_x." + randomWord(random);
                case 2 -> "AKIA" + randomWord(random).toUpperCase(java.util.Locale.ROOT) + "7EXAMPLE12";
                case 3 -> "4111 1111 1111 " + (1000 + random.nextInt(8999));
                case 4 -> "+49 30 " + (1000000 + random.nextInt(8999999));
                case 5 -> "10." + random.nextInt(255) + "." + random.nextInt(255) + ".7";
                case 6 -> "fe80::" + Integer.toHexString(4096 + random.nextInt(60000)) + ":1";
                case 7 -> "password=" + randomWord(random);
                default -> "Bearer " + randomWord(random) + random.nextInt(99999) + randomWord(random) + "Zz";
            };
            // every template a line ever had, not only those still live: the first ones reach Postgres too
            created.add(
                    miner.match("request by client " + value + " accepted", i).template());
            created.add(miner.match("{\"event\":\"login\",\"api_key\":\"" + randomWord(random) + "\"}", i)
                    .template());
            created.add(miner.match(
                            "Authorization: Bearer " + randomWord(random) + "-" + random.nextInt(999) + "_Q"
                                    + randomWord(random),
                            i)
                    .template());
            created.add(miner.match("login password = " + randomWord(random) + " ok", i)
                    .template());
        }
        dev.logai.flink.summary.PiiScrubber scrubber = new dev.logai.flink.summary.PiiScrubber();
        assertThat(created)
                .extracting(Template::text)
                .allSatisfy(text -> assertThat(scrubber.scrub(text)).isEqualTo(text));
    }

    /** Fault kind: first occurrences kept their own template forever; now they are linked to the general one. */
    @Test
    void generalisedTemplatesAreLinkedToTheirSuccessor() {
        TemplateMiner miner = new TemplateMiner();
        Template first = miner.match("Failed password for root from 1.2.3.4 port 22 ssh2", 1)
                .template();
        miner.match("Failed password for admin from 1.2.3.4 port 22 ssh2", 2);
        Template general = miner.match("Failed password for oracle from 1.2.3.4 port 22 ssh2", 3)
                .template();
        assertThat(first.current()).isSameAs(general);
        assertThat(miner.drainMergedAway())
                .extracting(t -> t.id() + ">" + t.current().id())
                .contains(first.id() + ">" + general.id());
    }

    @Test
    void newTemplatesAreMarkedOnlyAfterTheWarmUp() {
        TemplateMiner miner = new TemplateMiner(new TemplateMiner.Limits(100, 64, 1000, 5, 60_000));
        assertThat(miner.match("service started", 0).isNew()).isFalse();
        for (int i = 0; i < 5; i++) miner.match("request " + i + " done", i);
        TemplateMiner.Match fresh = miner.match("disk full on /dev/sda1", 10);
        assertThat(fresh.created()).isTrue();
        assertThat(fresh.isNew()).isTrue();
        assertThat(miner.match("disk full on /dev/sdb1", 11).isNew()).isFalse();
    }

    @Test
    void stateRoundTripKeepsIdsCountsAndMerges() {
        TemplateMiner miner = new TemplateMiner();
        for (String u : List.of("root", "admin", "oracle")) miner.match("Invalid user " + u + " from 10.0.0.1", 5);
        miner.match("Connection closed by 10.0.0.2 [preauth]", 6);
        List<byte[]> state = new ArrayList<>();
        for (Template t : miner.templates()) state.add(TemplateMiner.encode(t));
        TemplateMiner restored = TemplateMiner.restore(TemplateMiner.Limits.DEFAULT, state, miner.encodeMeta());
        assertThat(restored.templates())
                .extracting(Template::id)
                .containsExactlyInAnyOrderElementsOf(
                        miner.templates().stream().map(Template::id).toList());
        Template again = restored.match("Invalid user zed from 10.0.0.9", 7).template();
        assertThat(again.text()).isEqualTo("Invalid user <*> from <*>");
        assertThat(again.count()).isEqualTo(4);
    }

    /** Property: the same lines in the same order give the same templates, ids and assignments. */
    @Test
    void miningIsDeterministicForAGivenOrder() {
        Random random = new Random(7);
        String[] verbs = {"opened", "closed", "failed", "retried"};
        String[] users = {"ann", "bob", "cy", "dee", "eve"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            lines.add("session " + verbs[random.nextInt(verbs.length)] + " for user "
                    + users[random.nextInt(users.length)] + " after " + random.nextInt(1000) + " ms");
        }
        assertThat(mineAll(lines)).isEqualTo(mineAll(lines));
        assertThat(new TemplateMiner().match(lines.get(0), 0).template().id()).isEqualTo(mineFirstId(lines));
    }

    private static List<String> mineAll(List<String> lines) {
        TemplateMiner miner = new TemplateMiner();
        List<Template> assigned = new ArrayList<>();
        for (String l : lines) assigned.add(miner.match(l, 0).template());
        return assigned.stream()
                .map(t -> t.current().id() + " " + t.current().text())
                .toList();
    }

    private static String mineFirstId(List<String> lines) {
        return new TemplateMiner().match(lines.get(0), 0).template().id();
    }

    @Test
    void everyLineUniqueStaysWithinTheTemplateLimit() {
        TemplateMiner miner = new TemplateMiner(new TemplateMiner.Limits(1_000, 128, 4_000, 10, 60_000));
        Random random = new Random(1);
        for (int i = 0; i < 50_000; i++) {
            miner.match(randomWord(random) + " " + randomWord(random) + " " + randomWord(random), i);
            assertThat(miner.size()).isLessThanOrEqualTo(1_000);
        }
        // the frequent survive eviction
        for (int i = 0; i < 50; i++) miner.match("steady heartbeat ok", i);
        for (int i = 0; i < 5_000; i++) miner.match(randomWord(random) + " " + randomWord(random), i);
        assertThat(miner.templates()).extracting(Template::text).contains("steady heartbeat ok");
    }

    @Test
    void hugeLinesAndDistinctNumbersStayBounded() {
        TemplateMiner miner = new TemplateMiner();
        StringBuilder tokens = new StringBuilder();
        for (int i = 0; i < 10_000; i++)
            tokens.append("t").append(Integer.toString(i, 36)).append(' ');
        Template wide = miner.match(tokens, 0).template();
        assertThat(wide.size()).isEqualTo(TemplateMiner.Limits.DEFAULT.maxTokens());
        for (int i = 0; i < 1_000_000; i++) miner.match("queue depth " + i + " items", i);
        assertThat(miner.size()).isEqualTo(2);
        assertThat(miner.templates()).extracting(Template::text).contains("queue depth <*> items");
    }

    private static String randomWord(Random random) {
        char[] c = new char[6];
        for (int i = 0; i < c.length; i++) c[i] = (char) ('a' + random.nextInt(26));
        return new String(c);
    }
}
