package dev.logai.flink.alert.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * A Slack Block Kit message for an incoming webhook: a header with the title, the severity and
 * status, the summary's bullets, the top lines in a code block and a button to the dashboard.
 * Slack's {@code text} field carries a plain fallback for notifications. Text is escaped for
 * Slack's mrkdwn (&, <, >), so log content cannot forge links or mentions.
 */
final class SlackMessage {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_SECTION = 2900; // Slack's limit for a section's text is 3000 characters

    private SlackMessage() {}

    static String of(Notification n) {
        ObjectNode root = JSON.createObjectNode();
        root.put(
                "text",
                "[" + n.severity().toUpperCase(Locale.ROOT) + "] " + n.status() + ": " + n.title() + " ("
                        + n.dataWindow() + ")");
        ArrayNode blocks = root.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text")
                .put("type", "plain_text")
                .put("text", clip(n.title(), 150))
                .put("emoji", false);
        blocks.addObject()
                .put("type", "section")
                .putObject("text")
                .put("type", "mrkdwn")
                .put(
                        "text",
                        "*" + n.severity().toUpperCase(Locale.ROOT) + "* · " + n.status() + " · rule _"
                                + escape(n.ruleName()) + "_ · source `" + escape(n.sourceId()) + "` · " + n.dataWindow()
                                + (n.count() > 1 ? " · " + n.count() + " times" : ""));
        if (!n.bullets().isEmpty()) {
            StringBuilder b = new StringBuilder();
            n.bullets().forEach(x -> b.append("• ").append(escape(x)).append('\n'));
            blocks.addObject()
                    .put("type", "section")
                    .putObject("text")
                    .put("type", "mrkdwn")
                    .put("text", clip(b.toString(), MAX_SECTION));
        }
        if (!n.topLines().isEmpty()) {
            StringBuilder lines = new StringBuilder("```");
            n.topLines()
                    .forEach(l -> lines.append(escape(l.replace("```", "'''"))).append('\n'));
            String text = clip(lines.toString(), MAX_SECTION - 3) + "```";
            blocks.addObject()
                    .put("type", "section")
                    .putObject("text")
                    .put("type", "mrkdwn")
                    .put("text", text);
        }
        if (n.dashboardUrl() != null && !n.dashboardUrl().isEmpty()) {
            ObjectNode button = blocks.addObject()
                    .put("type", "actions")
                    .putArray("elements")
                    .addObject();
            button.put("type", "button").put("url", n.dashboardUrl());
            button.putObject("text").put("type", "plain_text").put("text", "Open in LogAi");
        }
        return root.toString();
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
