package dev.logai.tools.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.RecordParser;
import dev.logai.flink.parse.SourceFormat;
import dev.logai.flink.parse.SourceParser;
import dev.logai.flink.parse.multiline.Continuations;
import dev.logai.flink.parse.multiline.MultilineJoiner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code ./logai bench parse}: single-thread parse throughput per format on generated, realistic
 * lines (the job's own {@link SourceParser}: bytes → text → record, as one Flink subtask does it),
 * next to baselines measured in the same run on the same bytes: a plain Jackson streaming parse
 * for JSON, and parsing without multi-line joining for the joining cost. Each figure is the median
 * of several timed rounds after a warm-up; ratios, not absolute numbers, are what compare across
 * machines.
 */
public final class ParseBenchmark {
    static final int LINES = 200_000;
    static final int ROUNDS = 7;
    private static final long NOW = 1_718_359_200_000L;

    private ParseBenchmark() {}

    public static void main(String[] args) throws Exception {
        Random random = new Random(42);
        List<Row> rows = new ArrayList<>();
        System.out.printf(
                Locale.ROOT,
                "parse benchmark: %d generated lines per format, median of %d rounds, 1 thread%n",
                LINES,
                ROUNDS);

        byte[][] json = generate(random, LineGenerators::json);
        double[] jsonVsJackson = paired(() -> parseAll(json), () -> jacksonBaseline(json), json.length);
        rows.add(new Row(
                "json",
                jsonVsJackson[0],
                String.format(
                        Locale.ROOT, "jackson_streaming=%s ratio=%.2f", human(jsonVsJackson[1]), jsonVsJackson[2])));
        rows.add(new Row("logfmt", median(() -> parseAll(generate(random, LineGenerators::logfmt)), LINES), ""));
        byte[][] syslog = generate(random, LineGenerators::syslog5424);
        rows.add(new Row("syslog5424", median(() -> parseAll(syslog), LINES), ""));
        byte[][] access = generate(random, LineGenerators::accessCombined);
        rows.add(new Row("access", median(() -> parseAll(access), LINES), ""));
        byte[][] text = generate(random, LineGenerators::textWithHeader);
        rows.add(new Row("text-header", median(() -> parseAll(text), LINES), ""));
        // Container runtimes: the same kind of text line inside a CRI or Docker wrapper, against
        // plain text lines measured in the same rounds (the cost of unwrapping).
        byte[][] cri = generate(random, LineGenerators::criText);
        double[] criVsText = paired(() -> parseAll(cri), () -> parseAll(text), LINES);
        rows.add(new Row(
                "cri+text",
                criVsText[0],
                String.format(Locale.ROOT, "text_header=%s ratio=%.2f", human(criVsText[1]), criVsText[2])));
        byte[][] docker = generate(random, LineGenerators::dockerText);
        double[] dockerVsText = paired(() -> parseAll(docker), () -> parseAll(text), LINES);
        rows.add(new Row(
                "docker+text",
                dockerVsText[0],
                String.format(Locale.ROOT, "text_header=%s ratio=%.2f", human(dockerVsText[1]), dockerVsText[2])));
        byte[][] syslogFile = generate(random, LineGenerators::syslogFile);
        rows.add(new Row("text-syslog", median(() -> parseAll(syslogFile), LINES), ""));

        byte[][] traces = LineGenerators.textWithTraces(random, LINES);
        double[] joinedVsPlain = paired(() -> parseAndJoin(traces), () -> parseAll(traces), traces.length);
        rows.add(new Row(
                "text+traces",
                joinedVsPlain[0],
                String.format(
                        Locale.ROOT,
                        "without_joining=%s joining_cost=%.1f%%",
                        human(joinedVsPlain[1]),
                        100 * (1 - joinedVsPlain[2]))));

        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "%-12s %12s lines/s/core  %s%n", row.name, human(row.rate), row.note);
        }
    }

    private record Row(String name, double rate, String note) {}

    interface Work {
        long run() throws Exception;
    }

    /** Lines per second: median over {@link #ROUNDS} rounds after two warm-up rounds. */
    static double median(Work work, int lines) throws Exception {
        long sink = 0;
        for (int i = 0; i < 2; i++) sink += work.run();
        double[] rates = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            sink += work.run();
            rates[i] = lines / ((System.nanoTime() - start) / 1e9);
        }
        if (sink == 42) System.out.print(""); // keeps the work observable
        Arrays.sort(rates);
        return rates[ROUNDS / 2];
    }

    /**
     * A measurement and its baseline, alternated round by round so both see the same machine load:
     * {median rate of a, median rate of b, median of the per-round ratios a/b}.
     */
    static double[] paired(Work a, Work b, int lines) throws Exception {
        long sink = 0;
        for (int i = 0; i < 2; i++) sink += a.run() + b.run();
        double[] ra = new double[ROUNDS];
        double[] rb = new double[ROUNDS];
        double[] ratio = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            sink += a.run();
            long mid = System.nanoTime();
            sink += b.run();
            long end = System.nanoTime();
            ra[i] = lines / ((mid - start) / 1e9);
            rb[i] = lines / ((end - mid) / 1e9);
            ratio[i] = ra[i] / rb[i];
        }
        if (sink == 42) System.out.print("");
        Arrays.sort(ra);
        Arrays.sort(rb);
        Arrays.sort(ratio);
        return new double[] {ra[ROUNDS / 2], rb[ROUNDS / 2], ratio[ROUNDS / 2]};
    }

    private static byte[][] generate(Random random, java.util.function.Function<Random, String> generator) {
        byte[][] lines = new byte[LINES][];
        for (int i = 0; i < LINES; i++) lines[i] = generator.apply(random).getBytes(StandardCharsets.UTF_8);
        return lines;
    }

    /** What the job does per line of a source: detect once from the first lines, then parse each. */
    static long parseAll(byte[][] lines) {
        SourceParser parser = learned(lines);
        long sink = 0;
        for (byte[] raw : lines) {
            LogRecord r = parser.parse(new LogLine("org", "src", NOW, raw, false, false));
            sink += r.message.length();
        }
        return sink;
    }

    /** As {@link #parseAll}, plus the operator's joining of continuation lines into events. */
    static long parseAndJoin(byte[][] lines) {
        SourceParser parser = learned(lines);
        long sink = 0;
        LogRecord open = null;
        for (byte[] raw : lines) {
            LogRecord r = parser.parse(new LogLine("org", "src", NOW, raw, false, false));
            if (Continuations.continues(open, r.raw, r, parser.format())) {
                MultilineJoiner.append(open, r);
                continue;
            }
            if (open != null) sink += open.message.length();
            open = r;
        }
        return sink + (open == null ? 0 : open.lineCount);
    }

    private static SourceParser learned(byte[][] lines) {
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < SourceParser.LEARN_LINES; i++) sample.add(new String(lines[i], StandardCharsets.UTF_8));
        SourceParser parser = new SourceParser(new RecordParser(), null);
        parser.learn(sample, NOW);
        if (parser.format().kind == SourceFormat.Kind.TEXT
                && parser.format().shape.isEmpty()) {
            throw new IllegalStateException("benchmark lines were not recognised: " + sample.get(0));
        }
        return parser;
    }

    /** The baseline: Jackson's streaming parser reading every token and its text, nothing else. */
    static long jacksonBaseline(byte[][] lines) throws IOException {
        JsonFactory factory = new JsonFactory();
        long sink = 0;
        for (byte[] raw : lines) {
            try (JsonParser p = factory.createParser(raw)) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    if (t == JsonToken.FIELD_NAME || t.isScalarValue())
                        sink += p.getText().length();
                }
            }
        }
        return sink;
    }

    static String human(double rate) {
        return rate >= 1e6
                ? String.format(Locale.ROOT, "%.2fM", rate / 1e6)
                : String.format(Locale.ROOT, "%.0fk", rate / 1e3);
    }
}
