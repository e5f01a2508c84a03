package dev.logai.flink.summary;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Replaces personal data and secrets in text that is about to leave the job (for an LLM) with
 * placeholders that are stable within one instance: the same email is {@code <EMAIL_1>} wherever
 * it appears in one window's prompt, so the model can still reason about "the same user" without
 * seeing who it is. One instance per prompt; not thread-safe.
 *
 * <p>Kinds, in the order they are applied (earlier kinds would otherwise be half-eaten by later
 * ones: a JWT contains dots, a URL password sits before an {@code @}):
 * JWTs, bearer tokens, passwords in URLs, secrets in key=value pairs, AWS access keys, emails,
 * card numbers (13–19 digits passing Luhn), IPv6, IPv4, phone numbers.
 *
 * <p>Every pattern is RE2/J, which matches in time linear in the text (no backtracking), so a
 * crafted value cannot make scrubbing quadratic or worse. RE2 has no lookaround and no
 * backreferences: where a kind must not be preceded or followed by certain characters, the
 * candidate is matched and its neighbours are checked in code ({@link #bounded}).
 */
public final class PiiScrubber {
    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)(\\s+)([A-Za-z0-9._~+/=-]{8,})");
    private static final Pattern URL_PASSWORD =
            Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*://[^\\s:/@]+:)([^\\s@/]+)(@)");
    private static final String SECRET_KEY =
            "[a-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key"
                    + "|private[_-]?key|credential|session[_-]?id|auth|phone|mobile|msisdn|tel)[a-z0-9_.-]*";
    /**
     * key=value, key: value, "key":"value" where the key names a secret (or a phone). The key is
     * group 1 (double-quoted), 2 (single-quoted) or 3 (bare); the separator 4, the value 5.
     */
    private static final Pattern KEY_VALUE = Pattern.compile("(?i)(?:\"\\b(" + SECRET_KEY + ")\"|'\\b(" + SECRET_KEY
            + ")'|\\b(" + SECRET_KEY + "))(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s,;&\"'}\\]]+)");

    private static final Pattern AWS_KEY =
            Pattern.compile("\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\\b");
    private static final Pattern EMAIL = Pattern.compile(
            "(?i)\\b[a-z0-9._%+-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\\.[a-z]{2,}\\b");
    /** 13–19 digits, optionally grouped by single spaces or dashes; not after [0-9A-Za-z.], not before [0-9A-Za-z]. */
    private static final Pattern CARD = Pattern.compile("\\d(?:[ -]?\\d){12,18}");
    /**
     * Anything made of hex digits, colons and dots with at least two colons, not after
     * [0-9A-Za-z:.] nor before [0-9A-Za-z]; validated below.
     */
    private static final Pattern IPV6_CANDIDATE = Pattern.compile(
            "[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?::\\d{1,3}(?:\\.\\d{1,3}){3})?(?:%[0-9A-Za-z]+)?");

    /** Dotted quads; not after [0-9.], not before a digit or a dot and digit. */
    private static final Pattern IPV4 =
            Pattern.compile("(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    /**
     * International (+country) numbers, and 3-3-4 numbers with separators, e.g. (555) 123-4567;
     * not after [0-9A-Za-z+], not before [0-9A-Za-z].
     */
    private static final Pattern PHONE =
            Pattern.compile("(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){1,4}"
                    + "|\\(\\d{3}\\)\\s?\\d{3}[ .-]\\d{4}|\\d{3}[.-]\\d{3}[.-]\\d{4})");

    private final Map<String, String> placeholders = new HashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private int replaced;

    /** {@code text} with every recognised secret or personal datum replaced by its placeholder. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = text;
        s = replace(s, JWT, 0, "JWT");
        s = replace(s, BEARER, 3, "TOKEN");
        s = replace(s, URL_PASSWORD, 2, "PASSWORD");
        s = replaceKeyValues(s);
        s = replace(s, AWS_KEY, 0, "AWS_KEY");
        s = replace(s, EMAIL, 0, "EMAIL");
        s = replaceCards(s);
        s = replaceIpv6(s);
        s = replaceIpv4(s);
        s = replacePhones(s);
        return s;
    }

    /** How many values were replaced so far (for metrics). */
    public int replaced() {
        return replaced;
    }

    private String placeholder(String kind, String value) {
        return placeholders.computeIfAbsent(
                kind + '\u0000' + value, k -> "<" + kind + "_" + counters.merge(kind, 1, Integer::sum) + ">");
    }

    private String replace(String s, Pattern pattern, int group, String kind) {
        Matcher m = pattern.matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int last = 0;
        do {
            if (m.group(group).startsWith("<") && m.group(group).endsWith(">")) {
                continue; // already a placeholder
            }
            out.append(s, last, m.start(group)).append(placeholder(kind, m.group(group)));
            last = m.end(group);
            replaced++;
        } while (m.find());
        return out.append(s, last, s.length()).toString();
    }

    private String replaceKeyValues(String s) {
        Matcher m = KEY_VALUE.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        int last = 0;
        while (m.find()) {
            int keyGroup = m.group(1) != null ? 1 : m.group(2) != null ? 2 : 3;
            String key = m.group(keyGroup).toLowerCase(Locale.ROOT);
            String value = m.group(5);
            String bare = value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    ? value.substring(1, value.length() - 1)
                    : value;
            if (bare.isEmpty() || (bare.startsWith("<") && bare.endsWith(">")) || isNonSecretWord(key, bare)) {
                continue;
            }
            boolean phone = key.matches(".*(phone|mobile|msisdn|tel).*") && !key.contains("token");
            if (phone && !bare.matches("[+()0-9 .-]{6,}")) {
                continue; // "telemetry=on", "hotel=..." and the like
            }
            int start = m.start(5) + (bare.length() == value.length() ? 0 : 1);
            out.append(s, last, start).append(placeholder(phone ? "PHONE" : "SECRET", bare));
            last = start + bare.length();
            replaced++;
        }
        return out.append(s, last, s.length()).toString();
    }

    /** Words that follow a secret-ish key without being one: "auth=ok", "token: expired". */
    private static boolean isNonSecretWord(String key, String value) {
        if (key.startsWith("auth") && !key.contains("token") && !key.contains("key")) {
            return value.length() < 16; // auth=ok, authorization: failed; long values are credentials
        }
        return value.length() <= 3
                || value.matches("(?i)true|false|null|none|expired|invalid|missing|required|redacted|\\*+");
    }

    private String replaceCards(String s) {
        Matcher m = CARD.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        int last = 0;
        while (m.find()) {
            if (!bounded(s, m.start(), m.end(), PiiScrubber::isAlnumOrDot, PiiScrubber::isAlnum)) {
                continue;
            }
            String digits = m.group().replaceAll("[ -]", "");
            if (digits.length() < 13 || digits.length() > 19 || !luhn(digits)) {
                continue;
            }
            out.append(s, last, m.start()).append(placeholder("CARD", digits));
            last = m.end();
            replaced++;
        }
        return out.append(s, last, s.length()).toString();
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    private String replaceIpv6(String s) {
        Matcher m = IPV6_CANDIDATE.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        int last = 0;
        while (m.find()) {
            if (!bounded(s, m.start(), m.end(), c -> isAlnumOrDot(c) || c == ':', PiiScrubber::isAlnum)) {
                continue;
            }
            String address = m.group();
            if (!isIpv6(address) && address.endsWith(":") && !address.endsWith("::")) {
                address = address.substring(0, address.length() - 1); // "failed for ::1: timeout"
            }
            if (!isIpv6(address)) {
                continue;
            }
            out.append(s, last, m.start()).append(placeholder("IP", address.toLowerCase(Locale.ROOT)));
            last = m.start() + address.length();
            replaced++;
        }
        return out.append(s, last, s.length()).toString();
    }

    /** A full IPv6 address: 8 groups, or fewer with exactly one "::"; an IPv4 tail counts as two. */
    static boolean isIpv6(String candidate) {
        String a = candidate;
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        int groupsNeeded = 8;
        int lastColon = a.lastIndexOf(':');
        if (a.indexOf('.', lastColon) >= 0) {
            if (!IPV4.matcher(a.substring(lastColon + 1)).matches()) {
                return false;
            }
            a = a.substring(0, lastColon + 1) + "0";
            groupsNeeded = 7;
        }
        int doubleColon = a.indexOf("::");
        if (doubleColon != a.lastIndexOf("::") || a.contains(":::")) {
            return false;
        }
        if (doubleColon < 0) {
            String[] groups = a.split(":", -1);
            if (groups.length != groupsNeeded) {
                return false;
            }
            for (String g : groups) {
                if (g.isEmpty() || g.length() > 4) return false;
            }
            return true;
        }
        String head = a.substring(0, doubleColon);
        String tail = a.substring(doubleColon + 2);
        int count = 0;
        for (String part : new String[] {head, tail}) {
            if (part.isEmpty()) continue;
            for (String g : part.split(":", -1)) {
                if (g.isEmpty() || g.length() > 4) return false;
                count++;
            }
        }
        return count >= 1 && count < groupsNeeded;
    }

    private String replaceIpv4(String s) {
        Matcher m = IPV4.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        int last = 0;
        while (m.find()) {
            int end = m.end();
            boolean dotDigit = end + 1 < s.length() && s.charAt(end) == '.' && isDigit(s.charAt(end + 1));
            if (dotDigit || !bounded(s, m.start(), end, c -> isDigit(c) || c == '.', PiiScrubber::isDigit)) {
                continue;
            }
            out.append(s, last, m.start()).append(placeholder("IP", m.group()));
            last = end;
            replaced++;
        }
        return out.append(s, last, s.length()).toString();
    }

    /**
     * What a lookbehind and a lookahead would say: the character before {@code start} (if any) is
     * not one {@code notBefore} accepts, and the character at {@code end} (if any) is not one
     * {@code notAfter} accepts. A rejected candidate is skipped whole (its shorter or later
     * sub-matches are not tried), which keeps the scan linear.
     */
    static boolean bounded(String s, int start, int end, CharPredicate notBefore, CharPredicate notAfter) {
        return (start == 0 || !notBefore.test(s.charAt(start - 1)))
                && (end == s.length() || !notAfter.test(s.charAt(end)));
    }

    /** A test on one character. */
    @FunctionalInterface
    interface CharPredicate {
        boolean test(char c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlnum(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAlnumOrDot(char c) {
        return isAlnum(c) || c == '.';
    }

    private String replacePhones(String s) {
        Matcher m = PHONE.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        int last = 0;
        while (m.find()) {
            if (!bounded(s, m.start(), m.end(), c -> isAlnum(c) || c == '+', PiiScrubber::isAlnum)) {
                continue;
            }
            String digits = m.group().replaceAll("[^0-9]", "");
            if (digits.length() < 7 || digits.length() > 15) {
                continue;
            }
            out.append(s, last, m.start()).append(placeholder("PHONE", digits));
            last = m.end();
            replaced++;
        }
        return out.append(s, last, s.length()).toString();
    }
}
