package dev.logai.flink.alert.rule;

/** One record of the rules topic: the rule's latest state, or null when it was deleted. */
public class AlertRuleUpdate {
    public String ruleId;
    public AlertRule rule;

    public AlertRuleUpdate() {}

    public AlertRuleUpdate(String ruleId, AlertRule rule) {
        this.ruleId = ruleId;
        this.rule = rule;
    }
}
