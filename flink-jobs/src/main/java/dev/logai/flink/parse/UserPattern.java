package dev.logai.flink.parse;

import dev.logai.flink.parse.text.Levels;
import dev.logai.flink.parse.text.TimestampLayouts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

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
    static final int MAX_SOURCE_CHARS = 4000;
    /** Character reads allowed per character of input before a match is abandoned. */
    private static final int WORK_PER_CHAR = 200;

    private static final Map<String, String> GROK = Map.ofEntries(
            Map.entry("WORD", "\\b\\w+\\b"),
            Map.entry("NOTSPACE", "\\S+"),
            Map.entry("SPACE", "\\s*"),
            Map.entry("DATA", ".*?"),
            Map.entry("GREEDYDATA", ".*"),
            Map.entry("INT", "[+-]?\\d+"),
            Map.entry("POSINT", "\\d+"),
            Map.entry("NUMBER", "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)"),
            Map.entry("BASE16NUM", "(?:0[xX])?[0-9A-Fa-f]+"),
            Map.entry("UUID", "[A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}"),
            Map.entry("IP", "(?:\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f:]+:[0-9A-Fa-f:.]+"),
            Map.entry("HOSTNAME", "[0-9A-Za-z][0-9A-Za-z.-]*"),
            Map.entry("IPORHOST", "(?:\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Za-z][0-9A-Za-z.-]*"),
            Map.entry("USERNAME", "[a-zA-Z0-9._-]+"),
            Map.entry("PATH", "(?:/[^\\s]*)+|(?:[A-Za-z]:)?(?:\\\\[^\\\\\\s]*)+"),
            Map.entry("URIPATHPARAM", "\\S+"),
            Map.entry("QS", "\"(?:[^\"\\\\]|\\\\.)*\""),
            Map.entry("QUOTEDSTRING", "\"(?:[^\"\\\\]|\\\\.)*\""),
            Map.entry("LOGLEVEL", "[A-Za-z]+"),
            Map.entry(
                    "TIMESTAMP_ISO8601",
                    "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:?\\d{2}(?::?\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?"),
            Map.entry("SYSLOGTIMESTAMP", "[A-Z][a-z]{2} +\\d{1,2} \\d{2}:\\d{2}:\\d{2}"),
            Map.entry("HTTPDATE", "\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}"),
            Map.entry("SYSLOGPROG", "[\\w._/%-]+(?:\\[\\d+\\])?"),
            Map.entry("JAVACLASS", "(?:[a-zA-Z$_][a-zA-Z$_0-9]*\\.)*[a-zA-Z$_][a-zA-Z$_0-9]*"));
    private static final Pattern GROK_REFERENCE = Pattern.compile("%\\{([A-Z0-9_]+)(?::([A-Za-z_][A-Za-z0-9_]*))?\\}");

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

    /** Compiles a hint; the message says what is wrong so the API can return it to the user. */
    public static UserPattern compile(String hint) {
        if (hint == null || hint.isBlank()) throw new IllegalArgumentException("parser_hint is empty");
        if (hint.length() > MAX_SOURCE_CHARS) {
            throw new IllegalArgumentException("parser_hint is longer than " + MAX_SOURCE_CHARS + " characters");
        }
        StringBuilder regex = new StringBuilder();
        List<String> groups = new ArrayList<>();
        Matcher m = GROK_REFERENCE.matcher(hint);
        int last = 0;
        while (m.find()) {
            regex.append(hint, last, m.start());
            String body = GROK.get(m.group(1));
            if (body == null)
                throw new IllegalArgumentException("parser_hint uses unknown Grok pattern %{" + m.group(1) + "}");
            if (m.group(2) != null) {
                if (groups.contains(m.group(2)))
                    throw new IllegalArgumentException("parser_hint names " + m.group(2) + " twice");
                groups.add(m.group(2));
                regex.append("(?<").append(m.group(2)).append('>').append(body).append(')');
            } else {
                regex.append("(?:").append(body).append(')');
            }
            last = m.end();
        }
        regex.append(hint.substring(last));
        Matcher named = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(hint);
        while (named.find()) {
            if (!groups.contains(named.group(1))) groups.add(named.group(1));
        }
        try {
            return new UserPattern(hint, Pattern.compile(regex.toString()), groups);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("parser_hint is not a valid pattern: " + e.getDescription());
        }
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
        out.message = line;
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
        return true;
    }

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
