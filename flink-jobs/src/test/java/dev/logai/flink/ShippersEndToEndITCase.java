package dev.logai.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.support.PipelineHarness;
import dev.logai.localstack.FreePorts;
import dev.logai.localstack.LocalStack;
import dev.logai.localstack.SharedLocalStack;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real shipper software pointed at the real gateway, end to end through Kafka and the job to the
 * source's windows: the OpenTelemetry JS SDK's OTLP log exporters (protobuf and JSON), winston-loki
 * (Loki push), splunk-logging (Splunk HEC), rsyslog ({@code omfwd} over TCP and UDP to the syslog
 * listener, {@code omelasticsearch} to {@code _bulk}) and syslog-ng ({@code http()} to HEC raw),
 * each with the configuration the README gives. Every line each one sends is counted in its source's
 * {@code window_stats}.
 *
 * <p>Needs what {@code ./logai test} installs: Node.js with the clients in {@code
 * ingest-gateway/src/test/shippers} ({@code npm ci}), rsyslog ({@code LOGAI_RSYSLOGD}, {@code
 * LOGAI_RSYSLOG_MODULES}) and syslog-ng ({@code LOGAI_SYSLOG_NG}); a missing one fails the test with
 * what to install.
 */
class ShippersEndToEndITCase {
    static final LocalStack stack = SharedLocalStack.get(true);
    static final int LINES = 40;

    @RegisterExtension
    static final MiniClusterExtension FLINK = PipelineHarness.miniCluster();

    static PipelineHarness harness;
    static int syslogTcp;
    static int syslogUdp;
    static Path work;
    static final List<Process> shippers = new ArrayList<>();

    @BeforeAll
    static void services() throws Exception {
        syslogTcp = FreePorts.pick();
        syslogUdp = FreePorts.pick();
        harness = new PipelineHarness(
                stack,
                2,
                Map.of(
                        "LOGAI_SYSLOG_TCP_PORT", String.valueOf(syslogTcp),
                        "LOGAI_SYSLOG_UDP_PORT", String.valueOf(syslogUdp)));
        work = Files.createTempDirectory("logai-shippers");
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : shippers) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        harness.close();
    }

    @Test
    void everyShipperslinesReachTheirSourcesWindows() throws Exception {
        LocalStack.Tenant tenant = stack.createTenant("shippers-e2e-" + UUID.randomUUID(), "first");
        stack.overrideLimits(tenant.orgId(), "{\"max_sources\": \"50\"}");
        JobClient job = harness.startJob(harness.settings());
        try {
            String gateway = harness.gateway.url();
            String key = tenant.apiKey();
            Map<String, String> sources = new LinkedHashMap<>();
            for (String client : List.of("otlp-proto", "otlp-json", "loki", "splunk")) {
                String label = "node-" + client;
                sources.put(client, label);
                node(client, gateway, key, label);
            }
            sources.put("rsyslog omfwd tcp", "rsyslog-tcp");
            sources.put("rsyslog omfwd udp", "rsyslog-udp");
            sources.put("rsyslog omelasticsearch", "rsyslog-es");
            rsyslog(gateway, key);
            sources.put("syslog-ng http()", "syslog-ng-hec");
            syslogNg(gateway, key);

            Map<String, Long> counted = new LinkedHashMap<>();
            PipelineHarness.await(
                    "every shipper's " + LINES + " lines counted in its source's windows",
                    Duration.ofSeconds(90),
                    () -> {
                        sources.forEach((client, name) -> counted.put(client, lineCount(tenant.orgId(), name)));
                        return counted.values().stream().allMatch(n -> n == LINES);
                    },
                    () -> "lines per shipper so far: " + counted);
        } finally {
            job.cancel().get();
        }
    }

    /** Runs send.js with {@code client}; waits for the library to report its lines delivered. */
    static void node(String client, String gateway, String key, String label) throws Exception {
        Path dir = Path.of(System.getProperty("user.dir"), "..", "ingest-gateway", "src", "test", "shippers")
                .normalize();
        require(
                Files.isDirectory(dir.resolve("node_modules")),
                "the shipper clients are not installed: run 'npm ci' in " + dir + " (./logai test does)");
        Process p = new ProcessBuilder("node", "send.js", client, gateway, key, label, String.valueOf(LINES))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done).as(client + " finished: " + out).isTrue();
        assertThat(p.exitValue()).as(client + " exit: " + out).isZero();
    }

    /**
     * rsyslogd reading a file (imfile) and forwarding with the README's actions: omfwd TCP
     * (octet-counted) and UDP with the key in RFC 5424 structured data, omelasticsearch in bulk mode
     * with the key as the HTTP password.
     */
    static void rsyslog(String gateway, String key) throws Exception {
        String binary = env("LOGAI_RSYSLOGD", "/usr/sbin/rsyslogd");
        require(
                new File(binary).canExecute(),
                "rsyslogd not found at " + binary + " (set LOGAI_RSYSLOGD; ./logai test installs it)");
        Path dir = Files.createDirectories(work.resolve("rsyslog"));
        Path input = dir.resolve("app.log");
        Files.writeString(input, "");
        int port = Integer.parseInt(gateway.substring(gateway.lastIndexOf(':') + 1));
        String conf = """
                global(workDirectory="%1$s")
                module(load="imfile")
                module(load="omelasticsearch")
                template(name="logai-5424" type="string"
                  string="<%%PRI%%>1 %%TIMESTAMP:::date-rfc3339%% %%HOSTNAME%% %%APP-NAME%% %%PROCID%% %%MSGID%% [logai@41058 key=\\"%2$s\\" source=\\"%%$.source%%\\"] %%msg%%")
                template(name="logai-es" type="list" option.json="on") {
                  constant(value="{\\"@timestamp\\":\\"") property(name="timereported" dateFormat="rfc3339")
                  constant(value="\\",\\"host\\":\\"") property(name="hostname")
                  constant(value="\\",\\"message\\":\\"") property(name="msg")
                  constant(value="\\"}")
                }
                input(type="imfile" File="%3$s" Tag="app" Ruleset="forward")
                ruleset(name="forward") {
                  set $.source = "rsyslog-tcp";
                  action(type="omfwd" Target="127.0.0.1" Port="%4$d" Protocol="tcp" TCP_Framing="octet-counted" Template="logai-5424")
                  set $.source = "rsyslog-udp";
                  action(type="omfwd" Target="127.0.0.1" Port="%5$d" Protocol="udp" Template="logai-5424")
                  action(type="omelasticsearch" server="127.0.0.1" serverport="%6$d" searchIndex="rsyslog-es-2026.11.30"
                         bulkmode="on" template="logai-es" uid="rsyslog" pwd="%2$s")
                }
                """.formatted(dir, key, input, syslogTcp, syslogUdp, port);
        Path confFile = dir.resolve("rsyslog.conf");
        Files.writeString(confFile, conf);
        List<String> command = new ArrayList<>(List.of(
                binary,
                "-n",
                "-f",
                confFile.toString(),
                "-i",
                dir.resolve("pid").toString()));
        String modules = System.getenv("LOGAI_RSYSLOG_MODULES");
        if (modules != null && !modules.isBlank()) {
            command.addAll(List.of("-M", modules));
        }
        shippers.add(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.out").toFile())
                .start());
        appendLines(input, "rsyslog");
    }

    /** syslog-ng following a file with the README's http() destination (Splunk HEC raw). */
    static void syslogNg(String gateway, String key) throws Exception {
        String binary = env("LOGAI_SYSLOG_NG", "/usr/sbin/syslog-ng");
        require(
                new File(binary).canExecute(),
                "syslog-ng not found at " + binary + " (set LOGAI_SYSLOG_NG; ./logai test installs it)");
        Path dir = Files.createDirectories(work.resolve("syslog-ng"));
        Path input = dir.resolve("app.log");
        Files.writeString(input, "");
        String conf = """
                @version: 3.38
                options { stats-freq(0); };
                source s_app { file("%1$s" flags(no-parse) follow-freq(0.2)); };
                destination d_logai {
                  http(url("%2$s/services/collector/raw?source=syslog-ng-hec")
                       method("POST")
                       headers("Authorization: Splunk %3$s", "Content-Type: text/plain")
                       body("${MESSAGE}")
                       batch-lines(20) batch-timeout(200));
                };
                log { source(s_app); destination(d_logai); };
                """.formatted(input, gateway, key);
        Path confFile = dir.resolve("syslog-ng.conf");
        Files.writeString(confFile, conf);
        shippers.add(new ProcessBuilder(
                        binary,
                        "-F",
                        "-f",
                        confFile.toString(),
                        "--persist-file=" + dir.resolve("persist"),
                        "--pidfile=" + dir.resolve("pid"),
                        "--control=" + dir.resolve("ctl"),
                        "--no-caps")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("syslog-ng.out").toFile())
                .start());
        appendLines(input, "syslog-ng");
    }

    /**
     * Writes the lines a little after the shipper started, as an application appending to its log;
     * fails with the shipper's output when it did not stay up (a configuration it refused).
     */
    static void appendLines(Path file, String who) throws Exception {
        Thread.sleep(1500);
        Process shipper = shippers.get(shippers.size() - 1);
        if (!shipper.isAlive()) {
            throw new IllegalStateException(who + " exited with " + shipper.exitValue() + ":\n"
                    + Files.readString(file.resolveSibling(who.equals("rsyslog") ? "rsyslogd.out" : "syslog-ng.out")));
        }
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            lines.append(who)
                    .append(": ")
                    .append(i % 10 == 0 ? "ERROR" : "INFO")
                    .append(" request ")
                    .append(i)
                    .append(" served in ")
                    .append(i % 97)
                    .append(" ms\n");
        }
        Files.writeString(file, lines, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Lines counted in the windows of the org's source named {@code name} (0 while it does not exist). */
    static long lineCount(String orgId, String name) {
        try (Connection c = stack.ownerConnection();
                PreparedStatement ps = c.prepareStatement("select coalesce(sum(w.line_count), 0) from window_stats w"
                        + " join source s on s.id = w.source_id and s.org_id = w.org_id"
                        + " where s.org_id = ? and s.name = ?")) {
            ps.setString(1, orgId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
