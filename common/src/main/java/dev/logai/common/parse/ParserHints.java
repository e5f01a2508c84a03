package dev.logai.common.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A source's {@code parser_hint} (spec §3), checked the same way where it is stored (the query
 * API, which refuses a bad hint with 400) and where it is used (the pipeline's parser): the name
 * of a format, or a Grok pattern / Java regex with named groups.
 *
 * <p>Grok: {@code %{NAME}} or {@code %{NAME:capture}} with the common Logstash pattern names
 * ({@code TIMESTAMP_ISO8601}, {@code LOGLEVEL}, {@code GREEDYDATA}, {@code IP}, …; the subset
 * below); any other text is regex.
 */
public final class ParserHints {
    /** Longest hint, in characters. */
    public static final int MAX_CHARS = 4000;

    /**
     * Hints that name a format: {@code json}/{@code ndjson}, {@code logfmt}, {@code syslog}
     * ({@code rfc5424}, {@code rfc3164}), {@code access} ({@code nginx}, {@code apache}, {@code
     * clf}, {@code combined}); and those that ask for detection: {@code auto}, {@code text}, and the
     * container runtimes ({@code cri}, {@code docker}, {@code kubernetes}, …), whose lines identify
     * themselves.
     */
    public static final Set<String> FORMAT_NAMES = Set.of(
            "auto",
            "text",
            "cri",
            "docker",
            "kubernetes",
            "k8s",
            "containerd",
            "cri-o",
            "json",
            "ndjson",
            "logfmt",
            "syslog",
            "rfc5424",
            "rfc3164",
            "access",
            "nginx",
            "apache",
            "clf",
            "combined");

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

    private ParserHints() {}

    /**
     * Logstash's whole-line Grok patterns for formats LogAi reads natively: the access log ({@code
     * %{COMBINEDAPACHELOG}}, {@code %{COMMONAPACHELOG}}, their {@code HTTPD_} names) and syslog
     * ({@code %{SYSLOGLINE}}, {@code %{SYSLOG5424LINE}}), each to its format name.
     */
    public static final Map<String, String> GROK_FORMATS = Map.of(
            "%{combinedapachelog}", "access",
            "%{commonapachelog}", "access",
            "%{httpd_combinedlog}", "access",
            "%{httpd_commonlog}", "access",
            "%{syslogline}", "syslog",
            "%{syslog5424line}", "syslog");

    /** Whether {@code hint} names a format ({@link #FORMAT_NAMES} or {@link #GROK_FORMATS}, any case). */
    public static boolean isFormatName(String hint) {
        return formatName(hint) != null;
    }

    /** The format name {@code hint} stands for (lower case), or null when it is a pattern. */
    public static String formatName(String hint) {
        if (hint == null) return null;
        String h = hint.strip().toLowerCase(Locale.ROOT);
        return FORMAT_NAMES.contains(h) ? h : GROK_FORMATS.get(h);
    }

    /** A compiled pattern hint: the regex and its named captures, in order. */
    public record Compiled(Pattern regex, List<String> groups) {}

    /**
     * Compiles a pattern hint.
     *
     * @throws IllegalArgumentException saying what is wrong, for the API to return: empty, too
     *     long, neither a format name nor a pattern with a capture, an unknown Grok name, a capture
     *     named twice, invalid regex syntax
     */
    public static Compiled compile(String hint) {
        if (hint == null || hint.isBlank()) throw new IllegalArgumentException("parser_hint is empty");
        if (hint.length() > MAX_CHARS) {
            throw new IllegalArgumentException("parser_hint is longer than " + MAX_CHARS + " characters");
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
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("parser_hint '" + clip(hint) + "' is neither a format name ("
                    + String.join(", ", new java.util.TreeSet<>(FORMAT_NAMES))
                    + ") nor a pattern that captures a field (a Grok %{NAME:field} or a regex (?<field>...))");
        }
        try {
            return new Compiled(Pattern.compile(regex.toString()), List.copyOf(groups));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("parser_hint is not a valid pattern: " + e.getDescription());
        }
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }
}
