package dev.logai.flink.parse.format;

import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.text.TimestampLayouts;

/**
 * Syslog as sent over the wire, starting with a {@code <PRI>}: RFC 5424
 * ({@code <165>1 2003-10-11T22:14:15.003Z host app 1234 ID47 [sd@1 k="v"] msg}) and RFC 3164
 * ({@code <34>Oct 11 22:14:15 host su[12]: msg}). Files written by syslog daemons, which have no
 * PRI, are free text with a header and are learned by the text parser instead.
 */
public final class SyslogLineParser {
    private final TimestampLayouts.Match match = new TimestampLayouts.Match();

    public boolean parse(String line, long referenceMillis, LogRecord out) {
        int n = line.length();
        if (n < 4 || line.charAt(0) != '<') return false;
        int p = 1;
        int pri = 0;
        while (p < n && p < 5 && Character.isDigit(line.charAt(p))) {
            pri = pri * 10 + (line.charAt(p) - '0');
            p++;
        }
        if (p == 1 || p >= n || line.charAt(p) != '>' || pri > 191) return false;
        p++;
        out.attributes.clear();
        out.attributes.put("syslog.facility", Integer.toString(pri / 8));
        Level level = Level.fromNumber(pri % 8);
        if (p + 1 < n && line.charAt(p) == '1' && line.charAt(p + 1) == ' ') {
            return rfc5424(line, p + 2, referenceMillis, level, out);
        }
        return rfc3164(line, p, referenceMillis, level, out);
    }

    private boolean rfc5424(String line, int p, long referenceMillis, Level level, LogRecord out) {
        int n = line.length();
        // TIMESTAMP
        int tsEnd = wordEnd(line, p);
        if (tsEnd > p && !(tsEnd == p + 1 && line.charAt(p) == '-')) {
            if (!TimestampLayouts.matchAny(line, p, referenceMillis, match) || match.end != tsEnd) return false;
            out.ts = match.epochMillis;
            out.tsFromLine = true;
            out.tsText = line.substring(p, tsEnd);
        }
        p = skip(line, tsEnd);
        String[] header = new String[4]; // hostname, app-name, procid, msgid
        for (int i = 0; i < 4; i++) {
            int e = wordEnd(line, p);
            if (e == p) return false;
            String v = line.substring(p, e);
            header[i] = v.equals("-") ? null : v;
            p = skip(line, e);
        }
        if (header[0] != null) out.attributes.put("host", header[0]);
        if (header[2] != null) out.attributes.put("pid", header[2]);
        if (header[3] != null) out.attributes.put("msgid", header[3]);
        out.service = header[1];
        // STRUCTURED-DATA: "-" or one or more [id k="v" ...]
        if (p < n && line.charAt(p) == '-') {
            p = skip(line, p + 1);
        } else {
            while (p < n && line.charAt(p) == '[') {
                p = structuredElement(line, p, out);
                if (p < 0) return false;
            }
            p = skip(line, p);
        }
        String message = p < n ? line.substring(p) : "";
        if (message.startsWith("\uFEFF")) message = message.substring(1);
        out.message = message;
        out.level = level;
        out.format = "syslog5424";
        return true;
    }

    /** One {@code [id k="v" …]}; returns the index after it or -1. */
    private static int structuredElement(String line, int p, LogRecord out) {
        int n = line.length();
        int q = p + 1;
        int idEnd = q;
        while (idEnd < n && line.charAt(idEnd) != ' ' && line.charAt(idEnd) != ']') idEnd++;
        String id = line.substring(q, idEnd);
        q = idEnd;
        while (q < n && line.charAt(q) == ' ') {
            q++;
            int eq = line.indexOf('=', q);
            if (eq < 0 || eq + 1 >= n || line.charAt(eq + 1) != '"') return -1;
            String name = line.substring(q, eq);
            StringBuilder value = new StringBuilder();
            q = eq + 2;
            boolean closed = false;
            while (q < n) {
                char c = line.charAt(q++);
                if (c == '\\' && q < n) {
                    value.append(line.charAt(q++));
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    value.append(c);
                }
            }
            if (!closed) return -1;
            if (out.attributes.size() < JsonLineParser.MAX_ATTRIBUTES)
                out.attributes.put(id + "." + name, value.toString());
        }
        if (q >= n || line.charAt(q) != ']') return -1;
        return q + 1;
    }

    private boolean rfc3164(String line, int p, long referenceMillis, Level level, LogRecord out) {
        int n = line.length();
        if (!TimestampLayouts.matchAny(line, p, referenceMillis, match)) return false;
        out.ts = match.epochMillis;
        out.tsFromLine = true;
        out.tsText = line.substring(p, match.end);
        p = skip(line, match.end);
        int hostEnd = wordEnd(line, p);
        // "host tag: msg" — but some senders omit the host: then the first word is the tag
        boolean hostIsTag = hostEnd > p && line.charAt(hostEnd - 1) == ':';
        if (!hostIsTag && hostEnd > p) {
            out.attributes.put("host", line.substring(p, hostEnd));
            p = skip(line, hostEnd);
        }
        int tagEnd = p;
        while (tagEnd < n && tagEnd - p < 64 && line.charAt(tagEnd) != ':' && line.charAt(tagEnd) != ' ') tagEnd++;
        if (tagEnd < n && line.charAt(tagEnd) == ':' && tagEnd > p) {
            String tag = line.substring(p, tagEnd);
            int bracket = tag.indexOf('[');
            if (bracket > 0 && tag.endsWith("]")) {
                out.attributes.put("pid", tag.substring(bracket + 1, tag.length() - 1));
                tag = tag.substring(0, bracket);
            }
            out.service = tag;
            p = skip(line, tagEnd + 1);
        }
        out.message = line.substring(Math.min(p, n));
        out.level = level;
        out.format = "syslog3164";
        return true;
    }

    private static int wordEnd(String s, int p) {
        while (p < s.length() && s.charAt(p) != ' ') p++;
        return p;
    }

    private static int skip(String s, int p) {
        while (p < s.length() && s.charAt(p) == ' ') p++;
        return p;
    }
}
