package dev.logai.tools.bench;

import dev.logai.flink.LogPipelineJob;
import dev.logai.flink.anomaly.AnomalySettings;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.ParseSettings;
import dev.logai.flink.runtime.FlinkRuntime;
import dev.logai.flink.summary.LlmSettings;
import dev.logai.flink.summary.Summary;
import dev.logai.flink.summary.SummaryPrompt;
import dev.logai.flink.summary.SummarySettings;
import dev.logai.flink.summary.Tokens;
import dev.logai.flink.window.WindowSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * {@code ./logai bench summaries [--mb N]}: LLM input tokens per GB of logs, LogAi against the
 * naive approach, in the same run over the same generated data.
 *
 * <p>The data: a day of six services' logs (requests, auth, database, workers, with emails, IPs
 * and durations), about 140 bytes a line, 1% background errors, and four incidents of different
 * kinds (a new exception at 30% of a service's lines, a latency and timeout episode, a surge of an
 * existing warning, a burst of new messages).
 *
 * <p>LogAi: the job's own parse → templates → windows → anomalies → summary selection → prompt,
 * on a local Flink; the input tokens are those of every prompt that would go to the model (with
 * the extractive summarizer standing in, so no account is needed and the figure is the prompt's,
 * not a model's). Naive: every line sent, per source, in chunks of at most 6,000 tokens, each
 * chunk with the same instructions — the seed's "token-aware chunking", without its 10–15% overlap
 * (which would only make it costlier).
 */
public final class SummaryBenchmark {
    static final String[] SOURCES = {"checkout", "payments", "auth", "search", "inventory", "gateway"};
    static final long DAY_MS = 24 * 3600_000L;
    static final long START = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
    static final int CHUNK_TOKENS = 6000;
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /** One incident: which source, when (minutes into the day), how long, what kind. */
    record Incident(int source, int startMinute, int minutes, String kind) {}

    static final List<Incident> INCIDENTS = List.of(
            new Incident(1, 8 * 60, 15, "new-exception"),
            new Incident(0, 13 * 60, 10, "latency"),
            new Incident(2, 17 * 60 + 30, 20, "warning-surge"),
            new Incident(3, 21 * 60, 5, "new-messages"));

    private SummaryBenchmark() {}

    public static void main(String[] args) throws Exception {
        long mb = 256;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--mb") && i + 1 < args.length) {
                mb = Long.parseLong(args[++i]);
            } else {
                System.err.println("usage: ./logai bench summaries [--mb N]   (N MB of generated logs, default 256)");
                System.exit(2);
            }
        }
        long lines = linesFor(mb * 1_000_000L);
        System.out.printf(
                Locale.ROOT,
                "summaries benchmark: %d MB of generated logs (%,d lines), %d sources over 24 h," + " %d incidents%n",
                mb,
                lines,
                SOURCES.length,
                INCIDENTS.size());

        long t0 = System.nanoTime();
        Naive naive = naive(lines);
        System.out.printf(
                Locale.ROOT,
                "  naive: all lines in <= %d-token chunks   %,d chunks   %,d input tokens   (%.0f s)%n",
                CHUNK_TOKENS,
                naive.chunks,
                naive.tokens,
                (System.nanoTime() - t0) / 1e9);

        t0 = System.nanoTime();
        List<Summary> summaries = runPipeline(lines);
        long calls = 0;
        long tokens = 0;
        int incidents = 0;
        for (Summary s : summaries) {
            if (!s.extendOnly) {
                calls++;
                tokens += s.promptTokens;
            }
        }
        incidents = (int) summaries.stream().map(s -> s.id).distinct().count();
        System.out.printf(
                Locale.ROOT,
                "  LogAi: %d summaries (%d prompts, incidents updated in place)   %,d input tokens" + "   (%.0f s)%n",
                incidents,
                calls,
                tokens,
                (System.nanoTime() - t0) / 1e9);
        for (Summary s : summaries) {
            if (!s.extendOnly) {
                System.out.printf(
                        Locale.ROOT,
                        "    %s  %-9s %-6s %5d tokens  %s%n",
                        Instant.ofEpochMilli(s.windowStart),
                        s.sourceId,
                        s.severity,
                        s.promptTokens,
                        s.title.length() > 90 ? s.title.substring(0, 87) + "..." : s.title);
            }
        }
        double gb = naive.bytes / 1e9;
        double ratio = (double) tokens / naive.tokens;
        System.out.printf(
                Locale.ROOT, "  LogAi's prompts are %.3f%% of the naive tokens (target <= 1%%)%n", 100 * ratio);
        System.out.printf(
                Locale.ROOT,
                "average tokens_per_gb=%.0f naive_tokens_per_gb=%.0f ratio=%.5f%n",
                tokens / gb,
                naive.tokens / gb,
                ratio);
    }

    /** How many lines make about {@code bytes}, from the generator's own average line length. */
    static long linesFor(long bytes) {
        long sample = 20_000;
        long total = 0;
        for (long i = 0; i < sample; i++) {
            total += text(i, sample * 1000).length() + 1;
        }
        return Math.max(SOURCES.length * 2000L, bytes * sample / total);
    }

    static final class Naive {
        long bytes;
        long tokens;
        long chunks;
    }

    /** Every line, per source, packed into chunks of at most 6,000 tokens including the instructions. */
    static Naive naive(long lines) {
        int instructions = Tokens.count(SummaryPrompt.build(sampleRequest(), "gpt-4.1-mini", CHUNK_TOKENS)
                        .system())
                + 2 * 20;
        long[] open = new long[SOURCES.length];
        Naive n = new Naive();
        for (long i = 0; i < lines; i++) {
            String line = text(i, lines) + "\n";
            n.bytes += line.getBytes(StandardCharsets.UTF_8).length;
            int t = Tokens.count(line);
            int s = (int) (i % SOURCES.length);
            if (open[s] == 0 || open[s] + t > CHUNK_TOKENS) {
                n.chunks++;
                n.tokens += instructions;
                open[s] = instructions;
            }
            open[s] += t;
            n.tokens += t;
        }
        return n;
    }

    private static dev.logai.flink.summary.SummaryRequest sampleRequest() {
        return dev.logai.flink.summary.SummaryRequest.forWindow(
                "x",
                dev.logai.flink.window.WindowMetrics.empty("o", "x", 0, 60_000),
                new dev.logai.flink.anomaly.Anomaly[0],
                0,
                "anomaly");
    }

    /** The job's windows, anomalies and summary selection over the generated lines (no LLM configured). */
    static List<Summary> runPipeline(long lines) throws Exception {
        Configuration settings = new Configuration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkRuntime.loopback());
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(2);
        // One generating task, so each source's lines arrive in time order as a live source's do.
        DataStream<LogLine> input = env.fromSequence(0, lines - 1)
                .setParallelism(1)
                .map(i -> LogLine.ofText(
                        "bench-org", SOURCES[(int) (i % SOURCES.length)], START + i * DAY_MS / lines, text(i, lines)))
                .returns(LogLine.class)
                .setParallelism(1)
                .name("generated-lines");
        LogPipelineJob.WindowOutputs outputs = LogPipelineJob.windowOutputs(
                input,
                ParseSettings.from(settings),
                WindowSettings.from(settings).bounded(),
                AnomalySettings.from(settings));
        DataStream<Summary> summaries = LogPipelineJob.summaries(
                outputs.findings(), SummarySettings.from(settings), LlmSettings.from(settings, false));
        List<Summary> out = new ArrayList<>();
        try (CloseableIterator<Summary> it = summaries.collectAsync()) {
            env.execute("logai-bench-summaries");
            it.forEachRemaining(out::add);
        }
        out.sort((a, b) -> Long.compare(a.windowStart, b.windowStart));
        return out;
    }

    /** Line {@code i} of {@code lines}: deterministic, so both measurements see the same data. */
    static String text(long i, long lines) {
        Random r = new Random(i * 0x9E3779B97F4A7C15L);
        int source = (int) (i % SOURCES.length);
        long ts = START + i * DAY_MS / lines;
        int minute = (int) ((ts - START) / 60_000);
        String svc = SOURCES[source];
        String stamp = STAMP.format(Instant.ofEpochMilli(ts));
        for (Incident inc : INCIDENTS) {
            if (inc.source() == source && minute >= inc.startMinute() && minute < inc.startMinute() + inc.minutes()) {
                String line = incidentLine(inc, r, svc);
                if (line != null) {
                    return stamp + " " + line;
                }
            }
        }
        return stamp + " " + normalLine(r, svc);
    }

    private static String incidentLine(Incident inc, Random r, String svc) {
        int order = 100_000 + r.nextInt(900_000);
        switch (inc.kind()) {
            case "new-exception":
                return r.nextDouble() < 0.3
                        ? "ERROR [" + svc + "] PaymentGatewayTimeoutException: upstream bank-gw.internal"
                                + " did not answer within 30000 ms for order " + order + " customer " + user(r)
                                + "@example.com"
                        : null;
            case "latency":
                if (r.nextDouble() < 0.1) {
                    return "ERROR [" + svc + "] request POST /api/v1/orders/" + order
                            + " timed out after 5000 ms duration_ms=5000";
                }
                return r.nextDouble() < 0.6
                        ? "INFO  [" + svc + "] request GET /api/v1/orders/" + order + " status=200 duration_ms="
                                + (800 + r.nextInt(2500))
                        : null;
            case "warning-surge":
                return r.nextDouble() < 0.4
                        ? "WARN  [" + svc + "] token validation failed for user " + user(r) + "@example.com from 10.1."
                                + r.nextInt(256) + "." + r.nextInt(256) + ": signature expired"
                        : null;
            default:
                if (r.nextDouble() < 0.05) {
                    String[] novel = {
                        "cache shard " + r.nextInt(8) + " rebalanced, moved " + r.nextInt(5000) + " keys",
                        "feature flag search-v2 evaluated for tenant " + r.nextInt(300),
                        "index segment merge started, segments=" + r.nextInt(40),
                        "query planner fell back to full scan on table items",
                        "circuit breaker half-open for dependency ranking-svc",
                        "warming replica " + r.nextInt(6) + " with " + r.nextInt(10_000) + " documents"
                    };
                    return "INFO  [" + svc + "] " + novel[r.nextInt(novel.length)];
                }
                return null;
        }
    }

    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};

    private static String user(Random r) {
        return USERS[r.nextInt(USERS.length)] + r.nextInt(100);
    }

    private static String normalLine(Random r, String svc) {
        int id = 10_000 + r.nextInt(990_000);
        int ms = 3 + r.nextInt(150);
        double p = r.nextDouble();
        if (p < 0.004) return "ERROR [" + svc + "] database deadlock detected, transaction " + id + " rolled back";
        if (p < 0.008) return "ERROR [" + svc + "] job " + id + " failed: SMTP server returned 451 temporary failure";
        if (p < 0.010) return "ERROR [" + svc + "] upstream connection reset by peer after " + ms + " ms";
        if (p < 0.30) return "INFO  [" + svc + "] request GET /api/v1/orders/" + id + " status=200 duration_ms=" + ms;
        if (p < 0.45)
            return "INFO  [" + svc + "] request POST /api/v1/cart/" + id + "/items status=201 duration_ms=" + ms;
        if (p < 0.55)
            return "INFO  [" + svc + "] user " + user(r) + "@example.com logged in from 10.0." + r.nextInt(256) + "."
                    + r.nextInt(256);
        if (p < 0.62)
            return "DEBUG [" + svc + "] session refreshed for user " + user(r) + " ttl=" + (300 + r.nextInt(600)) + "s";
        if (p < 0.74) return "INFO  [" + svc + "] query orders_by_customer took " + ms + " ms rows=" + r.nextInt(50);
        if (p < 0.82)
            return "INFO  [" + svc + "] connection pool size=" + (20 + r.nextInt(5)) + " active=" + r.nextInt(20)
                    + " idle=" + r.nextInt(10);
        if (p < 0.93) return "INFO  [" + svc + "] processed job " + id + " of type email in " + ms + " ms";
        if (p < 0.97) return "WARN  [" + svc + "] retrying job " + id + " attempt " + (1 + r.nextInt(3)) + " of 5";
        return "INFO  [" + svc + "] cache hit ratio " + r.nextInt(100) + "% over " + (1000 + r.nextInt(9000))
                + " lookups";
    }
}
