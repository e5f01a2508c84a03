package dev.logai.flink.alert.rule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;

/**
 * The rules as every evaluating task holds them: the rules topic, read from its start, in
 * broadcast state (so a restore brings them back and every instance has every rule's latest
 * version), plus an index by org of the rules one evaluator cares about, rebuilt when a rule
 * changes — a window or a line looks only at its own org's rules, not at every tenant's.
 */
public final class RuleBook {
    public static final MapStateDescriptor<String, AlertRule> RULES =
            new MapStateDescriptor<>("alert-rules", String.class, AlertRule.class);

    private final Predicate<AlertRule> evaluatedHere;
    private Map<String, List<AlertRule>> byOrg;

    /** {@code evaluatedHere}: which rules this evaluator applies (window rules, or per-line rules). */
    public RuleBook(Predicate<AlertRule> evaluatedHere) {
        this.evaluatedHere = evaluatedHere;
    }

    /** Applies one rules-topic record; an older version never replaces a newer one. */
    public void apply(AlertRuleUpdate update, BroadcastState<String, AlertRule> rules) throws Exception {
        if (update.rule == null) {
            rules.remove(update.ruleId);
        } else {
            AlertRule known = rules.get(update.ruleId);
            if (known != null && known.version > update.rule.version) {
                return;
            }
            rules.put(update.ruleId, update.rule);
        }
        byOrg = null;
    }

    /** The active rules of this evaluator's kind that watch the org's source. */
    public List<AlertRule> watching(String org, String source, ReadOnlyBroadcastState<String, AlertRule> rules)
            throws Exception {
        if (byOrg == null) {
            // After a change or a restore: the broadcast state is the truth, the index is rebuilt from it.
            Map<String, List<AlertRule>> index = new HashMap<>();
            for (Map.Entry<String, AlertRule> e : rules.immutableEntries()) {
                AlertRule r = e.getValue();
                if (r.active && evaluatedHere.test(r)) {
                    index.computeIfAbsent(r.orgId, k -> new ArrayList<>()).add(r);
                }
            }
            byOrg = index;
        }
        List<AlertRule> ofOrg = byOrg.get(org);
        if (ofOrg == null) {
            return List.of();
        }
        List<AlertRule> out = new ArrayList<>(ofOrg.size());
        for (AlertRule r : ofOrg) {
            if (r.watches(org, source)) {
                out.add(r);
            }
        }
        return out;
    }
}
