package dev.logai.flink.alert;

import dev.logai.flink.alert.rule.AlertSignal;
import dev.logai.flink.alert.rule.RuleVerdict;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.util.Collector;

/**
 * The alert sequences, matched with Flink CEP on each (org, source, rule)'s verdicts in the order
 * they arrive, which is window order: each source's windows complete on its own clock, in time
 * order ({@code SourceWindows}), and stay in that order per key on the way here. (Event time would
 * need one watermark for every source sharing a parallel instance, which is what per-source clocks
 * avoid; the durations in the patterns compare the windows' own times, not a clock.)
 *
 * <ul>
 *   <li><b>sustained</b>: a run of {@code sustained} consecutive breaching windows;</li>
 *   <li><b>escalation</b>: a breach, then a window worse than {@code escalate_above} within
 *       {@code escalate_within} of it, the breach going on in between;</li>
 *   <li><b>recovery</b>: {@code resolve_after} consecutive clean windows after a breach.</li>
 * </ul>
 *
 * The counts come from the rule in each verdict (rules change while the job runs; the patterns
 * do not), and every sequence must start where its run starts ({@link RuleVerdict#breachOnset},
 * {@link RuleVerdict#calmOnset}): one partial match per run, not one per window of a long incident,
 * and each run matches at most once (after a match, the rest of the run is skipped). What the
 * matches mean for the alert — open, escalate once, resolve — is {@link AlertLifecycle}'s business.
 */
public final class AlertSequences {
    private AlertSequences() {}

    /** {@code sustained} consecutive breaching windows, starting at a breach onset. */
    public static Pattern<RuleVerdict, RuleVerdict> sustained() {
        return run(true);
    }

    /** {@code resolve_after} consecutive clean windows, starting at the first clean window after a breach. */
    public static Pattern<RuleVerdict, RuleVerdict> recovery() {
        return run(false);
    }

    /** A breach onset (not yet worse), breaching windows, then a worse one, all within {@code escalate_within}. */
    public static Pattern<RuleVerdict, RuleVerdict> escalation() {
        return Pattern.<RuleVerdict>begin("onset", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(SimpleCondition.of(v -> v.breachOnset && !v.worse && !Double.isNaN(v.rule.escalateAbove)))
                .next("climb")
                .where(new Escalating(false))
                .oneOrMore()
                .consecutive()
                .optional()
                .next("worse")
                .where(new Escalating(true));
    }

    private static Pattern<RuleVerdict, RuleVerdict> run(boolean breaching) {
        return Pattern.<RuleVerdict>begin("run", AfterMatchSkipStrategy.skipPastLastEvent())
                .where(new RunGoesOn(breaching))
                .oneOrMore()
                .consecutive()
                .optional()
                .next("last")
                .where(new RunLongEnough(breaching));
    }

    /** Verdicts → CEP on each sequence, plus every verdict itself, as the lifecycle's signals. */
    public static DataStream<AlertSignal> signals(DataStream<RuleVerdict> verdicts) {
        KeyedStream<RuleVerdict, String> byAlert = verdicts.keyBy(new AlertKey());
        DataStream<AlertSignal> sustained = CEP.pattern(byAlert, sustained())
                .inProcessingTime()
                .process(new ToSignal(AlertSignal.SUSTAINED, "run", "last"))
                .name("cep-sustained")
                .uid("cep-sustained");
        DataStream<AlertSignal> escalation = CEP.pattern(byAlert, escalation())
                .inProcessingTime()
                .process(new ToSignal(AlertSignal.ESCALATION, "onset", "worse"))
                .name("cep-escalation")
                .uid("cep-escalation");
        DataStream<AlertSignal> recovery = CEP.pattern(byAlert, recovery())
                .inProcessingTime()
                .process(new ToSignal(AlertSignal.RECOVERY, "run", "last"))
                .name("cep-recovery")
                .uid("cep-recovery");
        DataStream<AlertSignal> windows = verdicts.map(v -> new AlertSignal(AlertSignal.WINDOW, v, 1))
                .returns(AlertSignal.class)
                .name("verdict-signals")
                .uid("verdict-signals");
        return windows.union(sustained, escalation, recovery);
    }

    /** One alert per org, source and rule. */
    public static class AlertKey implements KeySelector<RuleVerdict, String> {
        @Override
        public String getKey(RuleVerdict v) {
            return v.alertKey();
        }
    }

    /** The next window of a run: same side of the threshold; the run's first window must be where the run starts. */
    static class RunGoesOn extends IterativeCondition<RuleVerdict> {
        private final boolean breaching;

        RunGoesOn(boolean breaching) {
            this.breaching = breaching;
        }

        @Override
        public boolean filter(RuleVerdict v, Context<RuleVerdict> ctx) throws Exception {
            return v.breach == breaching && (count(ctx, "run") > 0 || startsRun(v, breaching));
        }
    }

    /** The window that makes the run long enough: the rule's {@code sustained} or {@code resolve_after}. */
    static class RunLongEnough extends IterativeCondition<RuleVerdict> {
        private final boolean breaching;

        RunLongEnough(boolean breaching) {
            this.breaching = breaching;
        }

        @Override
        public boolean filter(RuleVerdict v, Context<RuleVerdict> ctx) throws Exception {
            if (v.breach != breaching) {
                return false;
            }
            int before = count(ctx, "run");
            int needed = Math.max(1, breaching ? v.rule.sustained : v.rule.resolveAfter);
            return (before > 0 || startsRun(v, breaching)) && before + 1 >= needed;
        }
    }

    /** Still breaching within {@code escalate_within} of the onset; {@code worse}: and past {@code escalate_above}. */
    static class Escalating extends IterativeCondition<RuleVerdict> {
        private final boolean worse;

        Escalating(boolean worse) {
            this.worse = worse;
        }

        @Override
        public boolean filter(RuleVerdict v, Context<RuleVerdict> ctx) throws Exception {
            if (!v.breach || v.worse != worse) {
                return false;
            }
            RuleVerdict onset = ctx.getEventsForPattern("onset").iterator().next();
            return v.windowEnd - onset.windowStart <= v.rule.escalateWithinMs;
        }
    }

    private static boolean startsRun(RuleVerdict v, boolean breaching) {
        return breaching ? v.breachOnset : v.calmOnset;
    }

    private static int count(IterativeCondition.Context<RuleVerdict> ctx, String stage) throws Exception {
        int n = 0;
        for (RuleVerdict ignored : ctx.getEventsForPattern(stage)) {
            n++;
        }
        return n;
    }

    /** A match → the signal at its last window, with the run's first window and length. */
    static class ToSignal extends PatternProcessFunction<RuleVerdict, AlertSignal> {
        private final String kind;
        private final String first;
        private final String last;

        ToSignal(String kind, String first, String last) {
            this.kind = kind;
            this.first = first;
            this.last = last;
        }

        @Override
        public void processMatch(Map<String, List<RuleVerdict>> match, Context ctx, Collector<AlertSignal> out) {
            List<RuleVerdict> end = match.get(last);
            int windows = match.values().stream().mapToInt(List::size).sum();
            AlertSignal s = new AlertSignal(kind, end.get(end.size() - 1), windows);
            List<RuleVerdict> start = match.getOrDefault(first, end);
            s.runStart = (start.isEmpty() ? end : start).get(0).windowStart;
            out.collect(s);
        }
    }
}
