package dev.logai.tools.eval;

import dev.logai.tools.eval.IncidentCorpus.Kind;
import dev.logai.tools.eval.IncidentCorpus.Label;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Matches the anomalies of a run to the labels of an {@link IncidentCorpus}, in windows (window
 * number = start / window size):
 *
 * <ul>
 *   <li>an incident's span runs from the window of its onset to {@link #TOLERANCE_WINDOWS} windows
 *       after the window of its end (the recovery belongs to the incident); a level shift's end is
 *       an hour after its onset, after which its new level is the normal one;
 *   <li>an incident is <b>found</b> by the first anomaly of its source (any metric) in its span
 *       whose window does not overlap normal activity of the source (a batch burst's anomaly during
 *       an incident is the burst's, not a detection — unless the anomaly names another service
 *       than the activity's: a leak in {@code billing}'s latency is not the {@code batch} export's);
 *       the <b>delay</b> is that anomaly's window minus the onset's window (0: flagged in the window
 *       where it began). An anomaly is dated by its window: a silence reported when the source
 *       comes back is dated at its first silent window;
 *   <li>every anomaly after the corpus' warm-up outside the incidents' spans is a <b>false alarm</b>, counted once per
 *       (source, window) however many metrics fired; it is put down to the normal activity
 *       (daily peak, batch burst, deploy) its window overlaps, if any;
 *   <li><b>clean hours</b> of a source: the hours after the warm-up outside its incidents' spans
 *       (normal activity is clean time).
 * </ul>
 */
public final class IncidentScorer {
    /** Windows after an incident's end still counted as the incident (its recovery). */
    public static final int TOLERANCE_WINDOWS = 5;

    /** An anomaly as the job reported it: its source, window start (epoch ms), metric, service, label, reason. */
    public record Flag(String source, long windowStart, String metric, String service, String label, String reason) {}

    /** One incident and how it was found: the delay in windows and the first anomaly, or -1 and null. */
    public record Outcome(Label label, int delayWindows, Flag first) {
        public boolean found() {
            return first != null;
        }
    }

    /** False alarms of one source over its clean hours. */
    public record SourceFigures(String source, double cleanHours, int falseAlarms, Map<String, Integer> byActivity) {}

    /**
     * Everything measured: per incident, per normal-activity kind (spans, spans with a false alarm,
     * false alarms), per source, and the anomalies left out as in the warm-up.
     */
    public record Scores(
            List<Outcome> incidents,
            Map<Kind, int[]> normalActivity,
            List<SourceFigures> sources,
            int inWarmup,
            List<Flag> falseAlarms) {

        /** Found incidents / all incidents (NaN with none). */
        public double recall() {
            return incidents.stream().filter(Outcome::found).count() / (double) incidents.size();
        }

        /** False alarms per clean source-hour, over all sources. */
        public double falseAlarmsPerCleanHour() {
            double hours =
                    sources.stream().mapToDouble(SourceFigures::cleanHours).sum();
            return sources.stream().mapToInt(SourceFigures::falseAlarms).sum() / hours;
        }

        /** The median delay of the found incidents, in windows (NaN if none was found). */
        public double medianDelay() {
            return median(incidents.stream()
                    .filter(Outcome::found)
                    .mapToInt(Outcome::delayWindows)
                    .sorted()
                    .toArray());
        }
    }

    private IncidentScorer() {}

    /**
     * Scores {@code flags} against {@code labels}.
     *
     * @param start    the corpus' first instant (epoch ms); the warm-up is {@code warmupMs} from it
     * @param end      the corpus' end (epoch ms, exclusive)
     * @param windowMs the job's window size
     * @param sources  the source names, in report order
     */
    public static Scores score(
            List<Label> labels,
            List<Flag> flags,
            long start,
            long end,
            long warmupMs,
            long windowMs,
            List<String> sources) {
        List<Flag> sorted = new ArrayList<>(flags);
        sorted.sort(java.util.Comparator.comparingLong(Flag::windowStart));
        List<Outcome> outcomes = new ArrayList<>();
        Map<String, List<long[]>> spans = new HashMap<>();
        for (Label l : labels) {
            if (!l.kind().incident()) {
                continue;
            }
            long[] span = span(l, windowMs);
            spans.computeIfAbsent(l.source(), k -> new ArrayList<>()).add(span);
            Flag first = null;
            for (Flag f : sorted) {
                long w = f.windowStart() / windowMs;
                if (f.source().equals(l.source())
                        && w >= span[0]
                        && w <= span[1]
                        && normalActivity(labels, f, windowMs) == null) {
                    first = f;
                    break;
                }
            }
            outcomes.add(new Outcome(l, first == null ? -1 : (int) (first.windowStart() / windowMs - span[0]), first));
        }
        long warmupEnd = start + warmupMs;
        Map<Kind, int[]> activity = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            if (!k.incident()) {
                activity.put(k, new int[3]);
            }
        }
        for (Label l : labels) {
            if (!l.kind().incident() && l.end() > warmupEnd) {
                activity.get(l.kind())[0]++;
            }
        }
        Map<String, Set<Long>> alarmWindows = new HashMap<>();
        Map<String, Map<String, Integer>> byActivity = new HashMap<>();
        Set<Label> flaggedActivity = new HashSet<>();
        List<Flag> falseAlarms = new ArrayList<>();
        int inWarmup = 0;
        for (Flag f : sorted) {
            long w = f.windowStart() / windowMs;
            if (f.windowStart() < warmupEnd) {
                inWarmup++;
                continue;
            }
            boolean inIncident =
                    spans.getOrDefault(f.source(), List.of()).stream().anyMatch(s -> w >= s[0] && w <= s[1]);
            if (inIncident
                    || !alarmWindows
                            .computeIfAbsent(f.source(), k -> new HashSet<>())
                            .add(w)) {
                continue;
            }
            falseAlarms.add(f);
            String cause = "clean";
            Label normal = normalActivity(labels, f, windowMs);
            if (normal != null) {
                cause = normal.kind().wireName();
                activity.get(normal.kind())[2]++;
                if (flaggedActivity.add(normal)) {
                    activity.get(normal.kind())[1]++;
                }
            }
            byActivity.computeIfAbsent(f.source(), k -> new TreeMap<>()).merge(cause, 1, Integer::sum);
        }
        List<SourceFigures> figures = new ArrayList<>();
        long firstWindow = Math.floorDiv(warmupEnd, windowMs);
        long lastWindow = Math.floorDiv(end - 1, windowMs);
        for (String source : sources) {
            long busy = 0;
            for (long w = firstWindow; w <= lastWindow; w++) {
                final long window = w;
                if (spans.getOrDefault(source, List.of()).stream().anyMatch(s -> window >= s[0] && window <= s[1])) {
                    busy++;
                }
            }
            double cleanHours = (lastWindow - firstWindow + 1 - busy) * windowMs / 3_600_000.0;
            figures.add(new SourceFigures(
                    source,
                    cleanHours,
                    alarmWindows.getOrDefault(source, Set.of()).size(),
                    byActivity.getOrDefault(source, Map.of())));
        }
        return new Scores(outcomes, activity, figures, inWarmup, falseAlarms);
    }

    /**
     * The normal activity (daily peak, batch burst, deploy) of the flag's source its window
     * overlaps, or null. An activity of one service (a batch export's) does not own a flag of
     * another named service (a leak in {@code billing}'s latency, judged on its own lines): that
     * flag is no more the burst's than in any other window.
     */
    static Label normalActivity(List<Label> labels, Flag f, long windowMs) {
        for (Label l : labels) {
            boolean otherService = !l.service().isEmpty()
                    && f.service() != null
                    && !f.service().isEmpty()
                    && !l.service().equals(f.service());
            if (!l.kind().incident()
                    && !otherService
                    && l.source().equals(f.source())
                    && l.start() < f.windowStart() + windowMs
                    && f.windowStart() < l.end()) {
                return l;
            }
        }
        return null;
    }

    /** An incident's span in window numbers, both ends included (see the class comment). */
    static long[] span(Label l, long windowMs) {
        return new long[] {Math.floorDiv(l.start(), windowMs), Math.floorDiv(l.end() - 1, windowMs) + TOLERANCE_WINDOWS
        };
    }

    /** The median of sorted values (the mean of the two middle ones for an even count); NaN if empty. */
    static double median(int[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
