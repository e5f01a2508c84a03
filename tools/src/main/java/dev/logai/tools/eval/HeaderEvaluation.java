package dev.logai.tools.eval;

import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.RecordParser;
import dev.logai.flink.parse.SourceParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./logai eval headers DIR}: how well LogAi finds the header of logs it has never seen.
 * For every dataset in the Loghub-2k layout under DIR it feeds only the raw {@code .log} lines,
 * in order, through the job's own {@link SourceParser} (format learned from the first lines, as
 * in the job) and compares each extracted message with the ground truth's {@code Content}.
 * Multi-line joining is left out: the ground truth is one record per line.
 */
public final class HeaderEvaluation {
    private HeaderEvaluation() {}

    public record DatasetScore(
            String name, int lines, double messageAccuracy, double timestampShare, double levelShare, String format) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println(
                    "usage: ./logai eval headers DIR   (DIR holds <Name>/<Name>_2k.log and <Name>_2k.log_structured.csv)");
            System.exit(2);
        }
        LoghubFiles.requireDirectory("headers", Path.of(args[0]));
        List<DatasetScore> scores = evaluate(Path.of(args[0]));
        if (scores.isEmpty()) {
            System.err.println("logai eval headers: no dataset in the Loghub-2k layout under " + args[0]);
            System.exit(2);
        }
        double sum = 0;
        for (DatasetScore s : scores) {
            System.out.printf(
                    Locale.ROOT,
                    "%-12s lines=%d message_accuracy=%.3f timestamp=%.3f level=%.3f format=%s%n",
                    s.name(),
                    s.lines(),
                    s.messageAccuracy(),
                    s.timestampShare(),
                    s.levelShare(),
                    s.format());
            sum += s.messageAccuracy();
        }
        System.out.printf(Locale.ROOT, "average message_accuracy=%.3f%n", sum / scores.size());
    }

    public static List<DatasetScore> evaluate(Path dir) throws IOException {
        List<DatasetScore> scores = new ArrayList<>();
        for (LoghubFiles.Dataset d : LoghubFiles.datasets(dir)) {
            scores.add(score(d.name(), d.log(), d.truth()));
        }
        return scores;
    }

    /**
     * The receive time every line is given: fixed, so a score never depends on when it is run. Far
     * after every dataset, so a timestamp without a year or a date (filled from the receive time)
     * is never read as ahead of it and clamped: with the wall clock, a time-only 10:05 read at 09:30
     * counted as "in the future", and the timestamp share changed with the time of day.
     */
    static final long REFERENCE_TIME =
            java.time.Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    static DatasetScore score(String name, Path log, Path truth) throws IOException {
        List<byte[]> lines = LoghubFiles.rawLines(log);
        List<String> contents = LoghubFiles.column(truth, "Content");
        List<LogRecord> records = parseInOrder(lines, REFERENCE_TIME);
        int n = Math.min(records.size(), contents.size());
        int correct = 0, withTs = 0, withLevel = 0;
        for (int i = 0; i < n; i++) {
            LogRecord r = records.get(i);
            if (r.message.strip().equals(contents.get(i).strip())) correct++;
            if (r.tsFromLine) withTs++;
            if (r.level != Level.UNKNOWN) withLevel++;
        }
        int total = Math.max(contents.size(), 1);
        return new DatasetScore(
                name,
                contents.size(),
                correct / (double) total,
                withTs / (double) total,
                withLevel / (double) total,
                FORMAT.get());
    }

    private static final ThreadLocal<String> FORMAT = new ThreadLocal<>();

    /** As the job does it: buffer the first lines, learn, then parse every line in order. */
    static List<LogRecord> parseInOrder(List<byte[]> lines, long receivedAt) {
        SourceParser parser = new SourceParser(new RecordParser(), null);
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < Math.min(SourceParser.LEARN_LINES, lines.size()); i++) {
            sample.add(new String(lines.get(i), java.nio.charset.StandardCharsets.UTF_8));
        }
        parser.learn(sample, receivedAt);
        FORMAT.set(parser.format().describe());
        List<LogRecord> records = new ArrayList<>(lines.size());
        for (byte[] raw : lines) {
            records.add(parser.parse(new LogLine("eval", "eval", receivedAt, raw, false, false)));
        }
        return records;
    }
}
