package dev.logai.tools.eval;

import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.template.MiningInput;
import dev.logai.flink.template.Template;
import dev.logai.flink.template.TemplateMiner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./logai eval templates DIR}: template mining quality on datasets in the Loghub-2k layout.
 * Only the raw {@code .log} is read; headers are found by the job's own parser, lines are mined in
 * order by the job's own {@link TemplateMiner}, and each line is labelled with the template its
 * line ended in (a template generalised later counts as the generalised one, as Drain's clusters
 * do). Scores follow the Loghub-2.0 / LogPub definitions:
 *
 * <ul>
 *   <li>GA: share of lines whose predicted group holds exactly the lines of their true group.</li>
 *   <li>FGA: F1 over groups; a predicted group is correct when it equals a true group.</li>
 *   <li>PA: share of lines whose predicted template text equals the true template.</li>
 *   <li>FTA: F1 over templates; correct when the group is exact and the text equals.</li>
 * </ul>
 *
 * Template texts are compared after {@link #normalise}: whitespace runs become one space, and
 * runs of variables ({@code <*><*>}, {@code <*>.<*>}, {@code <*> <*>}) become one {@code <*>} —
 * on both sides, so a value written as two tokens is not a different template.
 */
public final class TemplateEvaluation {
    private TemplateEvaluation() {}

    public record Score(
            String name,
            int lines,
            int truthGroups,
            int predictedGroups,
            double ga,
            double fga,
            double pa,
            double fta) {}

    public static void main(String[] args) throws IOException {
        boolean errors = args.length == 2 && args[1].equals("--errors");
        if (args.length != 1 && !errors) {
            System.err.println("usage: ./logai eval templates DIR [--errors]"
                    + "   (DIR holds <Name>/<Name>_2k.log and <Name>_2k.log_structured.csv)");
            System.exit(2);
        }
        LoghubFiles.requireDirectory("templates", Path.of(args[0]));
        if (errors) printErrors(Path.of(args[0]));
        List<Score> scores = evaluate(Path.of(args[0]));
        if (scores.isEmpty()) {
            System.err.println("logai eval templates: no dataset in the Loghub-2k layout under " + args[0]);
            System.exit(2);
        }
        double ga = 0, fga = 0, pa = 0, fta = 0;
        for (Score s : scores) {
            System.out.printf(
                    Locale.ROOT,
                    "%-12s lines=%d groups=%d predicted=%d GA=%.3f FGA=%.3f PA=%.3f FTA=%.3f%n",
                    s.name(),
                    s.lines(),
                    s.truthGroups(),
                    s.predictedGroups(),
                    s.ga(),
                    s.fga(),
                    s.pa(),
                    s.fta());
            ga += s.ga();
            fga += s.fga();
            pa += s.pa();
            fta += s.fta();
        }
        int n = scores.size();
        System.out.printf(Locale.ROOT, "average GA=%.3f FGA=%.3f PA=%.3f FTA=%.3f%n", ga / n, fga / n, pa / n, fta / n);
    }

    public static List<Score> evaluate(Path dir) throws IOException {
        List<Score> scores = new ArrayList<>();
        for (LoghubFiles.Dataset d : LoghubFiles.datasets(dir)) {
            List<LogRecord> records =
                    HeaderEvaluation.parseInOrder(LoghubFiles.rawLines(d.log()), System.currentTimeMillis());
            scores.add(score(
                    d.name(),
                    records,
                    LoghubFiles.column(d.truth(), "EventId"),
                    LoghubFiles.column(d.truth(), "EventTemplate")));
        }
        return scores;
    }

    /**
     * For each dataset, the true groups the miner got wrong, largest first: the true template and
     * its line count, then each predicted template its lines went to, with the lines it has in
     * all. For finding the kind of fault; printed before the scores.
     */
    static void printErrors(Path dir) throws IOException {
        for (LoghubFiles.Dataset d : LoghubFiles.datasets(dir)) {
            List<LogRecord> records =
                    HeaderEvaluation.parseInOrder(LoghubFiles.rawLines(d.log()), System.currentTimeMillis());
            List<String> truthIds = LoghubFiles.column(d.truth(), "EventId");
            List<String> truthTemplates = LoghubFiles.column(d.truth(), "EventTemplate");
            List<Template> assigned = mine(records, truthIds.size());
            Map<String, List<Integer>> truthGroups = new LinkedHashMap<>();
            Map<Template, Integer> predictedSize = new IdentityHashMap<>();
            for (int i = 0; i < assigned.size(); i++) {
                truthGroups
                        .computeIfAbsent(truthIds.get(i), k -> new ArrayList<>())
                        .add(i);
                predictedSize.merge(assigned.get(i), 1, Integer::sum);
            }
            List<List<Integer>> wrong = new ArrayList<>();
            for (List<Integer> group : truthGroups.values()) {
                Map<Template, Integer> to = new LinkedHashMap<>();
                for (int i : group) to.merge(assigned.get(i), 1, Integer::sum);
                if (to.size() > 1 || predictedSize.get(assigned.get(group.get(0))) != group.size()) wrong.add(group);
            }
            wrong.sort((a, b) -> b.size() - a.size());
            System.out.println("== " + d.name() + ": " + wrong.size() + " true groups wrong");
            for (List<Integer> group : wrong.subList(0, Math.min(15, wrong.size()))) {
                System.out.println(group.size() + "  " + truthTemplates.get(group.get(0)));
                Map<Template, Integer> to = new LinkedHashMap<>();
                for (int i : group) to.merge(assigned.get(i), 1, Integer::sum);
                to.forEach((t, c) -> System.out.println("    " + c + "/" + predictedSize.get(t) + "  " + t.text()
                        + "   e.g. " + MiningInput.of(records.get(group.get(0)))));
            }
        }
    }

    private static List<Template> mine(List<LogRecord> records, int limit) {
        TemplateMiner miner = new TemplateMiner();
        int n = Math.min(records.size(), limit);
        List<Template> assigned = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LogRecord r = records.get(i);
            assigned.add(miner.match(MiningInput.of(r), r.ts).template());
        }
        assigned.replaceAll(Template::current);
        return assigned;
    }

    /** Mines the records in order and scores the result against the true groups and templates. */
    public static Score score(
            String name, List<LogRecord> records, List<String> truthIds, List<String> truthTemplates) {
        TemplateMiner miner = new TemplateMiner();
        int n = Math.min(records.size(), truthIds.size());
        List<Template> assigned = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            LogRecord r = records.get(i);
            assigned.add(miner.match(MiningInput.of(r), r.ts).template());
        }
        String[] predicted = new String[n];
        String[] predictedText = new String[n];
        Map<Template, String> normalised = new IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            Template t = assigned.get(i).current();
            predicted[i] = t.id();
            predictedText[i] = normalised.computeIfAbsent(t, x -> normalise(x.text()));
        }
        String[] truth = truthIds.subList(0, n).toArray(new String[0]);
        String[] truthText = new String[n];
        for (int i = 0; i < n; i++) truthText[i] = normalise(truthTemplates.get(i));
        return score(name, predicted, predictedText, truth, truthText);
    }

    static Score score(String name, String[] predicted, String[] predictedText, String[] truth, String[] truthText) {
        int n = predicted.length;
        Map<String, Set<Integer>> predictedGroups = groups(predicted);
        Map<String, Set<Integer>> truthGroups = groups(truth);
        Set<Set<Integer>> truthSets = new HashSet<>(truthGroups.values());
        int gaLines = 0, paLines = 0;
        for (int i = 0; i < n; i++) {
            if (predictedGroups.get(predicted[i]).equals(truthGroups.get(truth[i]))) gaLines++;
            if (predictedText[i].equals(truthText[i])) paLines++;
        }
        int correctGroups = 0, correctTemplates = 0;
        for (Set<Integer> group : predictedGroups.values()) {
            if (truthSets.contains(group)) {
                correctGroups++;
                int any = group.iterator().next();
                if (predictedText[any].equals(truthText[any])) correctTemplates++;
            }
        }
        return new Score(
                name,
                n,
                truthGroups.size(),
                predictedGroups.size(),
                n == 0 ? 0 : gaLines / (double) n,
                f1(correctGroups, predictedGroups.size(), truthGroups.size()),
                n == 0 ? 0 : paLines / (double) n,
                f1(correctTemplates, predictedGroups.size(), truthGroups.size()));
    }

    private static Map<String, Set<Integer>> groups(String[] labels) {
        Map<String, Set<Integer>> groups = new HashMap<>();
        for (int i = 0; i < labels.length; i++)
            groups.computeIfAbsent(labels[i], k -> new HashSet<>()).add(i);
        return groups;
    }

    private static double f1(int correct, int predicted, int truth) {
        if (correct == 0) return 0;
        double p = correct / (double) predicted, r = correct / (double) truth;
        return 2 * p * r / (p + r);
    }

    /** Whitespace runs to one space; {@code <*><*>}, {@code <*>.<*>} and {@code <*> <*>} to {@code <*>}. */
    public static String normalise(String template) {
        String t = template.strip().replaceAll("\\s+", " ");
        String prev;
        do {
            prev = t;
            t = t.replace("<*><*>", "<*>").replace("<*>.<*>", "<*>").replace("<*> <*>", "<*>");
        } while (!t.equals(prev));
        return t;
    }
}
