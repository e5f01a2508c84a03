package dev.logai.flink.parse.format;

import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.text.TimestampLayouts;

/**
 * Apache/Nginx access logs, common and combined ({@code host ident user [date] "request" status
 * bytes "referer" "agent"}), plus trailing fields many configurations append (request time,
 * upstream time). The message is the request line, the level follows the status (5xx ERROR, 4xx
 * WARN), and a trailing request time becomes {@code duration_ms}.
 */
public final class AccessLogLineParser {
    private final TimestampLayouts.Match match = new TimestampLayouts.Match();

    public boolean parse(String line, long referenceMillis, LogRecord out) {
        int n = line.length();
        int p = 0;
        int hostEnd = word(line, p);
        if (hostEnd == p) return false;
        String client = line.substring(p, hostEnd);
        p = space(line, hostEnd);
        int identEnd = word(line, p);
        if (identEnd == p || p < 0) return false;
        p = space(line, identEnd);
        int userEnd = word(line, p);
        if (userEnd == p || p < 0) return false;
        String user = line.substring(p, userEnd);
        p = space(line, userEnd);
        if (p < 0 || p >= n || line.charAt(p) != '[') return false;
        int close = line.indexOf(']', p);
        if (close < 0 || !TimestampLayouts.matchAny(line, p + 1, referenceMillis, match) || match.end != close) {
            return false;
        }
        long ts = match.epochMillis;
        String tsText = line.substring(p + 1, close);
        p = space(line, close + 1);
        if (p < 0 || p >= n || line.charAt(p) != '"') return false;
        int requestEnd = quoted(line, p);
        if (requestEnd < 0) return false;
        String request = line.substring(p + 1, requestEnd - 1);
        p = space(line, requestEnd);
        if (p < 0) return false;
        int statusEnd = word(line, p);
        if (statusEnd - p != 3 || !digits(line, p, statusEnd)) return false;
        int status = Integer.parseInt(line, p, statusEnd, 10);
        p = space(line, statusEnd);
        String bytes = null;
        String referer = null;
        String agent = null;
        String trailing = null;
        if (p > 0 && p < n) {
            int bytesEnd = word(line, p);
            bytes = line.substring(p, bytesEnd);
            p = space(line, bytesEnd);
            if (p > 0 && p < n && line.charAt(p) == '"') {
                int e = quoted(line, p);
                if (e < 0) return false;
                referer = line.substring(p + 1, e - 1);
                p = space(line, e);
                if (p > 0 && p < n && line.charAt(p) == '"') {
                    e = quoted(line, p);
                    if (e < 0) return false;
                    agent = line.substring(p + 1, e - 1);
                    p = space(line, e);
                }
            }
            if (p > 0 && p < n) trailing = line.substring(p).trim();
        }
        out.attributes.clear();
        out.attributes.put("client_ip", client);
        if (!user.equals("-")) out.attributes.put("user", user);
        out.attributes.put("status", Integer.toString(status));
        if (bytes != null && !bytes.equals("-")) out.attributes.put("bytes", bytes);
        if (referer != null && !referer.equals("-")) out.attributes.put("referer", referer);
        if (agent != null && !agent.equals("-")) out.attributes.put("user_agent", agent);
        String[] parts = request.split(" ", 3);
        if (parts.length == 3) {
            out.attributes.put("method", parts[0]);
            out.attributes.put("path", parts[1]);
            out.attributes.put("protocol", parts[2]);
        }
        if (trailing != null && !trailing.isEmpty()) {
            String first = trailing.split(" ", 2)[0];
            // nginx $request_time is seconds with a fraction, Apache %D is microseconds
            try {
                if (first.indexOf('.') >= 0) {
                    out.attributes.put("duration_ms", Long.toString(Math.round(Double.parseDouble(first) * 1000)));
                } else if (digits(first, 0, first.length()) && !first.isEmpty() && first.length() < 12) {
                    out.attributes.put("duration_ms", Long.toString(Long.parseLong(first) / 1000));
                }
            } catch (NumberFormatException ignored) {
                // not a duration: kept only in raw
            }
        }
        out.ts = ts;
        out.tsFromLine = true;
        out.tsText = tsText;
        out.message = request + " " + status;
        out.level = status >= 500 ? Level.ERROR : status >= 400 ? Level.WARN : Level.INFO;
        out.format = "access";
        return true;
    }

    private static int word(String s, int p) {
        if (p < 0) return p;
        while (p < s.length() && s.charAt(p) != ' ') p++;
        return p;
    }

    /** After one space; -1 when there is none. */
    private static int space(String s, int p) {
        if (p < s.length() && s.charAt(p) == ' ') return p + 1;
        return p >= s.length() ? s.length() : -1;
    }

    /** Index after the closing quote of the quoted field at p, honouring backslash escapes; -1 if unterminated. */
    private static int quoted(String s, int p) {
        for (int q = p + 1; q < s.length(); q++) {
            char c = s.charAt(q);
            if (c == '\\') {
                q++;
            } else if (c == '"') {
                return q + 1;
            }
        }
        return -1;
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }
}
