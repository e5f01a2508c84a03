package dev.logai.common.contract.alert;

import java.util.List;

/**
 * Where an alert rule sends: Slack incoming-webhook URLs, e-mail addresses and generic webhook
 * URLs, each list at most {@link AlertRuleCodec#MAX_TARGETS} long, together at least one target.
 * The lists are never null (empty: none of that kind).
 */
public record AlertChannels(List<String> slack, List<String> email, List<String> webhook) {
    public AlertChannels {
        slack = List.copyOf(slack);
        email = List.copyOf(email);
        webhook = List.copyOf(webhook);
    }

    /** All targets, Slack first, then e-mail, then webhooks. */
    public int size() {
        return slack.size() + email.size() + webhook.size();
    }
}
