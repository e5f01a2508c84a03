package dev.logai.flink.parse;

import dev.logai.common.parse.ParserHints;
import dev.logai.flink.parse.text.Levels;
import dev.logai.flink.parse.text.TimestampLayouts;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source's {@code parser_hint}: a Grok pattern ({@code %{TIMESTAMP_ISO8601:timestamp}
 * %{LOGLEVEL:level} %{GREEDYDATA:message}}) or a Java regex with named groups. Captures named
 * {@code timestamp}, {@code level}, {@code service} and {@code message} fill the record; any other
 * capture becomes an attribute. Overrides detection for that source.
 *
 * <p>The pattern comes from a tenant, so matching is bounded: a pathological pattern gives up on
 * a line after a fixed amount of work instead of stalling the job (the line is then parsed as if
 * it had no header and flagged).
 */
public final class UserPattern {
    /** Character reads allowed per character of input before a match is abandoned. */
    private static final int WORK_PER_CHAR = 200;

    private final String source;
    private final Pattern regex;
    private final List<String> groups;

    private UserPattern(String source, Pattern regex, List<String> groups) {
        this.source = source;
        this.regex = regex;
        this.groups = groups;
    }

    public String source() {
        return source;
    }

    /**
     * Compiles a hint ({@link ParserHints#compile}); the message says what is wrong so the API can
     * return it to the user.
     */
    public static UserPattern compile(String hint) {
        ParserHints.Compiled compiled = ParserHints.compile(hint);
        return new UserPattern(hint, compiled.regex(), compiled.groups());
    }

    /** Fills {@code out} from the captures; false when the line does not match (or matching gave up). */
    public boolean parse(String line, long referenceMillis, LogRecord out, TimestampLayouts.Match match) {
        Matcher m;
        try {
            m = regex.matcher(new BoundedCharSequence(line, (long) WORK_PER_CHAR * line.length() + 10_000));
            if (!m.matches()) return false;
        } catch (BoundedCharSequence.TooMuchWork e) {
            return false;
        }
        out.attributes.clear();
        out.format = "pattern";
        out.message = null;
        for (String group : groups) {
            String value = m.group(group);
            if (value == null) continue;
            switch (group) {
                case "timestamp":
                case "ts":
                case "time":
                    if (TimestampLayouts.matchAny(value, 0, referenceMillis, match)) {
                        out.ts = match.epochMillis;
                        out.tsFromLine = true;
                        out.tsText = value;
                    }
                    break;
                case "level":
                case "severity":
                    Level level = Levels.of(value.trim());
                    out.level = level == null ? Level.UNKNOWN : level;
                    break;
                case "service":
                case "program":
                case "logger":
                case "component":
                    out.service = value;
                    break;
                case "message":
                case "msg":
                    out.message = value;
                    break;
                default:
                    if (out.attributes.size() < 64) out.attributes.put(group, value);
            }
        }
        if (out.message == null) out.message = withoutHeaderCaptures(line, m);
        return true;
    }

    /**
     * Without a {@code message} capture, the message is the line less what the time, level and
     * service captures took: those are the record's fields, and left in the text they would make
     * one template per level ("status=ERROR", "status=INFO").
     */
    private String withoutHeaderCaptures(String line, Matcher m) {
        List<int[]> spans = new ArrayList<>();
        for (String group : groups) {
            if (HEADER_GROUPS.contains(group) && m.start(group) >= 0)
                spans.add(new int[] {m.start(group), m.end(group)});
        }
        spans.sort(java.util.Comparator.comparingInt(span -> span[0]));
        StringBuilder message = new StringBuilder(line.length());
        int at = 0;
        for (int[] span : spans) {
            if (span[0] < at) continue; // nested in a span already cut
            message.append(line, at, span[0]);
            at = span[1];
        }
        message.append(line, at, line.length());
        return message.toString().strip().replaceAll(" {2,}", " ");
    }

    private static final java.util.Set<String> HEADER_GROUPS = java.util.Set.of(
            "timestamp", "ts", "time", "level", "severity", "service", "program", "logger", "component");

    /** A line as the regex engine sees it, which stops a runaway match by counting reads. */
    private static final class BoundedCharSequence implements CharSequence {
        static final class TooMuchWork extends RuntimeException {
            TooMuchWork() {
                super("pattern match exceeded its work budget", null, false, false);
            }
        }

        private final String text;
        private final int offset;
        private final int length;
        private final long[] budget;

        BoundedCharSequence(String text, long budget) {
            this(text, 0, text.length(), new long[] {budget});
        }

        private BoundedCharSequence(String text, int offset, int length, long[] budget) {
            this.text = text;
            this.offset = offset;
            this.length = length;
            this.budget = budget;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) throw new TooMuchWork();
            return text.charAt(offset + index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BoundedCharSequence(text, offset + start, end - start, budget);
        }

        @Override
        public String toString() {
            return text.substring(offset, offset + length);
        }
    }
}
