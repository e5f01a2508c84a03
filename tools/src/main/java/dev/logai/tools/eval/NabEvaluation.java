package dev.logai.tools.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logai.flink.anomaly.DetectorSettings;
import dev.logai.flink.anomaly.SeriesDetector;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code ./logai eval nab DIR --out RESULTS}: the job's own {@link SeriesDetector} (the one that judges each source's volume) over series in the
 * Numenta Anomaly Benchmark layout ({@code data/<category>/<series>.csv} with {@code timestamp,value},
 * {@code labels/combined_windows.json}). Each series is streamed point by point, with no look-ahead
 * and one fresh detector, exactly as the job feeds a window metric. Writes NAB's results layout
 * ({@code RESULTS/logai/<category>/logai_<series>.csv}: {@code timestamp,value,anomaly_score,label},
 * label being the ground truth as in NAB's own results) so NAB's official scorer can read it, and
 * prints, per category and overall: windows detected, flags outside any window, the median delay
 * as a fraction of the window, and the NAB standard-profile score ({@link NabScorer}) both at
 * LogAi's own threshold (score ≥ 0.5, what the job flags) and at the threshold NAB's optimiser picks.
 */
public final class NabEvaluation {
    static final String DETECTOR = "logai";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    /** One series after detection. */
    record Series(String category, String name, double[] scores, List<int[]> windows) {}

    private NabEvaluation() {}

    public static void main(String[] args) throws IOException {
        Path dir = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else if (dir == null) {
                dir = Path.of(args[i]);
            } else {
                dir = null;
                break;
            }
        }
        if (dir != null && !Files.isDirectory(dir)) {
            System.err.println(
                    "logai eval nab: no directory " + dir.toAbsolutePath().normalize()
                            + " (give the NAB folder: data/<category>/*.csv and labels/combined_windows.json)");
            System.exit(2);
        }
        if (dir == null
                || out == null
                || !Files.isDirectory(dir.resolve("data"))
                || !Files.isRegularFile(dir.resolve("labels/combined_windows.json"))) {
            System.err.println(
                    "usage: ./logai eval nab DIR --out RESULTS   (DIR holds data/<category>/*.csv and labels/combined_windows.json)");
            System.exit(2);
        }
        List<Series> series = run(dir, out, DetectorSettings.MEDIUM);
        if (series.isEmpty()) {
            System.err.println("logai eval nab: no series under " + dir.resolve("data"));
            System.exit(2);
        }
        report(series);
    }

    /** Detects over every series, writes the results files, and returns the scores for the report. */
    static List<Series> run(Path dir, Path out, DetectorSettings settings) throws IOException {
        JsonNode labels = new ObjectMapper()
                .readTree(dir.resolve("labels/combined_windows.json").toFile());
        List<Series> all = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir.resolve("data"), 2)) {
            files = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        for (Path file : files) {
            String category = file.getParent().getFileName().toString();
            String name = file.getFileName().toString();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            int n = lines.size() - 1;
            String[] stamps = new String[n];
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                String line = lines.get(i + 1);
                int comma = line.indexOf(',');
                stamps[i] = line.substring(0, comma);
                values[i] = Double.parseDouble(line.substring(comma + 1).trim());
            }
            SeriesDetector detector = new SeriesDetector();
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                long ms = time(stamps[i]).toInstant(ZoneOffset.UTC).toEpochMilli();
                scores[i] = detector.update(values[i], ms, settings);
            }
            List<int[]> windows = windows(labels.path(category + "/" + name), stamps);
            write(
                    out.resolve(DETECTOR).resolve(category).resolve(DETECTOR + "_" + name),
                    stamps,
                    values,
                    scores,
                    windows);
            all.add(new Series(category, name, scores, windows));
        }
        return all;
    }

    /** Window bounds as indices: the first point at or after the start, the last at or before the end. */
    static List<int[]> windows(JsonNode json, String[] stamps) {
        List<int[]> out = new ArrayList<>();
        LocalDateTime[] times = Arrays.stream(stamps).map(NabEvaluation::time).toArray(LocalDateTime[]::new);
        for (JsonNode w : json) {
            LocalDateTime start = time(w.get(0).asText());
            LocalDateTime end = time(w.get(1).asText());
            int first = -1;
            int last = -1;
            for (int i = 0; i < times.length; i++) {
                if (first < 0 && !times[i].isBefore(start)) {
                    first = i;
                }
                if (!times[i].isAfter(end)) {
                    last = i;
                }
            }
            if (first >= 0 && last >= first) {
                out.add(new int[] {first, last});
            }
        }
        return out;
    }

    private static LocalDateTime time(String text) {
        return LocalDateTime.parse(text.trim(), STAMP);
    }

    private static void write(Path file, String[] stamps, double[] values, double[] scores, List<int[]> windows)
            throws IOException {
        Files.createDirectories(file.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("timestamp,value,anomaly_score,label\n");
            int win = 0;
            for (int i = 0; i < stamps.length; i++) {
                while (win < windows.size() && windows.get(win)[1] < i) {
                    win++;
                }
                int label = win < windows.size() && windows.get(win)[0] <= i ? 1 : 0;
                w.write(stamps[i] + "," + values[i] + "," + scores[i] + "," + label + "\n");
            }
        }
    }

    /** Detection figures at LogAi's own threshold, for a group of series. */
    record Figures(int windows, int detected, int outside, double medianDelay, double scoreAtLabel) {}

    static Figures figures(List<Series> group, double threshold) {
        int windows = 0;
        int detected = 0;
        int outside = 0;
        List<Double> delays = new ArrayList<>();
        List<NabScorer.Point> points = new ArrayList<>();
        for (Series s : group) {
            int probation = NabScorer.probationaryLength(s.scores().length);
            points.addAll(NabScorer.points(s.name(), s.scores(), s.windows()));
            int w = 0;
            for (int i = probation; i < s.scores().length; i++) {
                while (w < s.windows().size() && s.windows().get(w)[1] < i) {
                    w++;
                }
                boolean in = w < s.windows().size() && s.windows().get(w)[0] <= i;
                if (s.scores()[i] >= threshold && !in) {
                    outside++;
                }
            }
            for (int[] win : s.windows()) {
                if (win[1] < probation) {
                    continue;
                }
                windows++;
                for (int i = Math.max(win[0], probation); i <= win[1]; i++) {
                    if (s.scores()[i] >= threshold) {
                        detected++;
                        delays.add((double) (i - win[0]) / (win[1] - win[0] + 1));
                        break;
                    }
                }
            }
        }
        delays.sort(null);
        double median = delays.isEmpty() ? Double.NaN : delays.get(delays.size() / 2);
        return new Figures(
                windows,
                detected,
                outside,
                median,
                NabScorer.normalised(NabScorer.rawScore(points, threshold), windows));
    }

    static void report(List<Series> series) {
        Map<String, List<Series>> byCategory = new TreeMap<>();
        for (Series s : series) {
            byCategory.computeIfAbsent(s.category(), k -> new ArrayList<>()).add(s);
        }
        List<NabScorer.Point> all = new ArrayList<>();
        for (Series s : series) {
            all.addAll(NabScorer.points(s.name(), s.scores(), s.windows()));
        }
        double[] best = NabScorer.bestThreshold(all);
        for (Map.Entry<String, List<Series>> e : byCategory.entrySet()) {
            print(e.getKey(), e.getValue(), best[0]);
        }
        print("overall", series, best[0]);
        Figures f = figures(series, 0.5);
        // NAB's official ranking: each profile's own optimised threshold over the whole corpus.
        double[] lowFp = optimised(series, NabScorer.LOW_FP, f.windows());
        double[] lowFn = optimised(series, NabScorer.LOW_FN, f.windows());
        System.out.printf(
                Locale.ROOT,
                "profiles (optimised threshold each): standard=%.1f reward_low_FP_rate=%.1f (threshold %.4f)"
                        + " reward_low_FN_rate=%.1f (threshold %.4f)%n",
                NabScorer.normalised(best[1], f.windows()),
                lowFp[1],
                lowFp[0],
                lowFn[1],
                lowFn[0]);
        System.out.printf(
                Locale.ROOT,
                "average nab_standard=%.1f nab_standard_optimised=%.1f threshold_optimised=%.4f"
                        + " windows_detected=%d/%d flags_outside=%d%n",
                f.scoreAtLabel(),
                NabScorer.normalised(best[1], f.windows()),
                best[0],
                f.detected(),
                f.windows(),
                f.outside());
    }

    /** [threshold, normalised score] at the threshold NAB's optimiser picks for {@code profile}. */
    private static double[] optimised(List<Series> series, NabScorer.Profile profile, int windows) {
        List<NabScorer.Point> points = new ArrayList<>();
        for (Series s : series) {
            points.addAll(NabScorer.points(s.name(), s.scores(), s.windows(), profile));
        }
        double[] best = NabScorer.bestThreshold(points, profile);
        return new double[] {best[0], NabScorer.normalised(best[1], windows, profile)};
    }

    private static void print(String name, List<Series> group, double optimised) {
        Figures f = figures(group, 0.5);
        Figures o = figures(group, optimised);
        System.out.printf(
                Locale.ROOT,
                "%-22s series=%-3d windows=%d/%d flags_outside=%-5d median_delay=%.2f"
                        + " nab_standard=%.1f | at optimised threshold: windows=%d/%d flags_outside=%d nab_standard=%.1f%n",
                name,
                group.size(),
                f.detected(),
                f.windows(),
                f.outside(),
                f.medianDelay(),
                f.scoreAtLabel(),
                o.detected(),
                o.windows(),
                o.outside(),
                o.scoreAtLabel());
    }
}
