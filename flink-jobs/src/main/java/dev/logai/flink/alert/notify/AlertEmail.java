package dev.logai.flink.alert.notify;

import java.util.Locale;

/** The e-mail of a notification: subject, plain text and HTML (every value HTML-escaped). */
final class AlertEmail {
    private AlertEmail() {}

    static String subject(Notification n) {
        String s = "[LogAi][" + n.severity().toUpperCase(Locale.ROOT) + "] "
                + (n.status().equals("firing") ? "" : n.status() + ": ") + n.title();
        return s.replaceAll("[\\r\\n]+", " "); // a header: no line breaks from log content
    }

    static String text(Notification n) {
        StringBuilder b = new StringBuilder();
        b.append(n.title()).append("\n\n");
        b.append("Severity: ")
                .append(n.severity())
                .append("   Status: ")
                .append(n.status())
                .append("   Rule: ")
                .append(n.ruleName())
                .append("   Source: ")
                .append(n.sourceId())
                .append("\n")
                .append(capitalised(n.dataWindow()))
                .append("\n\n");
        n.bullets().forEach(x -> b.append("- ").append(x).append('\n'));
        if (!n.topLines().isEmpty()) {
            b.append("\nTop lines:\n");
            n.topLines().forEach(l -> b.append("  ").append(l).append('\n'));
        }
        if (n.dashboardUrl() != null && !n.dashboardUrl().isEmpty()) {
            b.append("\nOpen in LogAi: ").append(n.dashboardUrl()).append('\n');
        }
        return b.toString();
    }

    static String html(Notification n) {
        StringBuilder b = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">");
        b.append("<h2>").append(esc(n.title())).append("</h2>");
        b.append("<p><b>")
                .append(esc(n.severity().toUpperCase(Locale.ROOT)))
                .append("</b> · ")
                .append(esc(n.status()))
                .append(" · rule <i>")
                .append(esc(n.ruleName()))
                .append("</i> · source <code>")
                .append(esc(n.sourceId()))
                .append("</code> · ")
                .append(esc(n.dataWindow()))
                .append("</p>");
        if (!n.bullets().isEmpty()) {
            b.append("<ul>");
            n.bullets().forEach(x -> b.append("<li>").append(esc(x)).append("</li>"));
            b.append("</ul>");
        }
        if (!n.topLines().isEmpty()) {
            b.append("<pre style=\"background:#f4f4f4;padding:8px\">");
            n.topLines().forEach(l -> b.append(esc(l)).append('\n'));
            b.append("</pre>");
        }
        if (n.dashboardUrl() != null && n.dashboardUrl().startsWith("http")) {
            b.append("<p><a href=\"").append(esc(n.dashboardUrl())).append("\">Open in LogAi</a></p>");
        }
        return b.append("</body></html>").toString();
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static String esc(String s) {
        return s == null
                ? ""
                : s.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;")
                        .replace("'", "&#39;");
    }
}
