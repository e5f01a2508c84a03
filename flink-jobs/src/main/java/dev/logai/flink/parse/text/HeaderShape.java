package dev.logai.flink.parse.text;

import dev.logai.flink.parse.Level;
import java.util.Arrays;

/**
 * The learned header of a text source: a sequence of typed fields ({@code TS LEVEL TAG},
 * {@code TS NUM NUM LEVEL TAG}, …) that precedes the message, with the timestamp layout of each
 * timestamp field. Applying it to a line costs one pass over the header, with no regex and no
 * allocation besides the extracted strings.
 *
 * <p>The shape is encoded as a short string ({@link #encode}, e.g. {@code "T0 L G"}) so it can be
 * kept in Flink state and shown to users.
 */
public final class HeaderShape {
    /** A {@code TAG} position also accepts up to this many words before the colon ({@code Microsoft Word[14]:}). */
    static final int TAG_EXTRA_WORDS = 2;

    final FieldType[] types;
    final int[] layouts;

    HeaderShape(FieldType[] types, int[] layouts) {
        this.types = types;
        this.layouts = layouts;
    }

    public static final HeaderShape NONE = new HeaderShape(new FieldType[0], new int[0]);

    public boolean isEmpty() {
        return types.length == 0;
    }

    public int fieldCount() {
        return types.length;
    }

    /** Whether the shape starts with, or contains, a timestamp: lines without one are continuations. */
    public boolean hasTimestamp() {
        for (FieldType t : types) {
            if (t == FieldType.TS) return true;
        }
        return false;
    }

    /** What a line yielded; reused per thread. */
    public static final class Result {
        public boolean matched;
        public int messageStart;
        public long ts;
        public boolean tsFound;
        /** Where the first timestamp's text starts and ends, to keep the original. */
        public int tsStart, tsEnd;

        public Level level;
        public int serviceStart = -1, serviceEnd = -1;
        public int pidStart = -1, pidEnd = -1;

        void reset() {
            matched = false;
            messageStart = 0;
            tsFound = false;
            level = null;
            serviceStart = serviceEnd = pidStart = pidEnd = -1;
        }
    }

    private final ThreadLocal<TimestampLayouts.Match> matches = ThreadLocal.withInitial(TimestampLayouts.Match::new);

    /**
     * Reads the header off {@code line}. When the line does not fit the shape, {@code matched} is
     * false and only a leading timestamp, if any, is reported.
     */
    public void apply(String line, long referenceMillis, Result out) {
        out.reset();
        TimestampLayouts.Match match = matches.get();
        int n = line.length();
        int p = 0;
        int lastWordStart = -1, lastWordEnd = -1;
        for (int i = 0; i < types.length; i++) {
            if (p >= n) {
                out.matched = false;
                return;
            }
            FieldType expected = types[i];
            int fieldEnd;
            if (expected == FieldType.TS) {
                if (!TimestampLayouts.match(layouts[i], line, p, referenceMillis, match)
                        && !TimestampLayouts.matchAny(line, p, referenceMillis, match)) {
                    leadingTimestampOnly(line, referenceMillis, out, match);
                    return;
                }
                if (!out.tsFound) {
                    out.tsFound = true;
                    out.ts = match.epochMillis;
                    out.tsStart = p;
                    out.tsEnd = match.end;
                }
                fieldEnd = match.end;
            } else if (expected == FieldType.BRACKET) {
                int close = line.charAt(p) == '['
                        ? HeaderFields.closingBracket(line, p, Math.min(n, p + HeaderFields.MAX_HEADER_CHARS))
                        : -1;
                if (close < 0) {
                    leadingTimestampOnly(line, referenceMillis, out, match);
                    return;
                }
                Level level = HeaderFields.bracketLevel(line, p, close);
                if (level != null && out.level == null) {
                    out.level = level;
                } else if (!out.tsFound
                        && p + 1 < n
                        && TimestampLayouts.matchAny(line, p + 1, referenceMillis, match)
                        && match.end <= close) {
                    out.tsFound = true;
                    out.ts = match.epochMillis;
                    out.tsStart = p + 1;
                    out.tsEnd = match.end;
                } else {
                    lastWordStart = p + 1;
                    lastWordEnd = close;
                }
                fieldEnd = close + 1;
            } else {
                int e = HeaderFields.wordEnd(line, p);
                FieldType actual = HeaderFields.classifyWord(line, p, e);
                if ((expected == FieldType.TAG || expected == FieldType.DASH) && actual != expected) {
                    int absorbed = absorbUntil(line, e, expected);
                    if (absorbed >= 0) {
                        e = absorbed;
                        actual = expected;
                    } else if (expected == FieldType.TAG) {
                        leadingTimestampOnly(line, referenceMillis, out, match);
                        return;
                    }
                }
                if (!expected.accepts(actual) && !(expected == FieldType.LEVEL && isShortWord(line, p, e))) {
                    leadingTimestampOnly(line, referenceMillis, out, match);
                    return;
                }
                if (expected == FieldType.LEVEL && out.level == null) {
                    out.level = Levels.of(line, p, e);
                } else if (expected == FieldType.TAG) {
                    tag(line, p, e, out);
                } else if (expected == FieldType.WORD) {
                    lastWordStart = p;
                    lastWordEnd = e;
                }
                fieldEnd = e;
            }
            p = skipSeparator(line, fieldEnd);
        }
        if (out.serviceStart < 0 && lastWordStart >= 0) {
            out.serviceStart = lastWordStart;
            out.serviceEnd = lastWordEnd;
        }
        out.matched = true;
        out.messageStart = p;
    }

    private static boolean isShortWord(String line, int s, int e) {
        if (e - s > 12) return false;
        for (int q = s; q < e; q++) {
            if (!Character.isLetter(line.charAt(q))) return false;
        }
        return e > s;
    }

    /**
     * A tag written with blanks ({@code syslogd 1.4.1:}) or a two-word name before a dash: the end
     * of the word of type {@code end} within {@link #TAG_EXTRA_WORDS} more words, or -1. For a dash
     * the dash itself is the field, so its end is returned.
     */
    private static int absorbUntil(String line, int e, FieldType end) {
        int p = e;
        for (int extra = 0; extra < TAG_EXTRA_WORDS; extra++) {
            if (p >= line.length() || line.charAt(p) != ' ') return -1;
            p++;
            int w = HeaderFields.wordEnd(line, p);
            if (w == p) return -1;
            if (HeaderFields.classifyWord(line, p, w) == end) return w;
            p = w;
        }
        return -1;
    }

    /** {@code name[pid]:}, {@code name(x)[pid]:}, {@code o.a.Class:} → service and pid. */
    private static void tag(String line, int s, int e, Result out) {
        int nameEnd = e - 1; // drop ':'
        int open = -1;
        for (int q = s; q < nameEnd; q++) {
            if (line.charAt(q) == '[') {
                open = q;
                break;
            }
        }
        if (open > s && line.charAt(nameEnd - 1) == ']') {
            boolean digits = open + 1 < nameEnd - 1;
            for (int q = open + 1; q < nameEnd - 1; q++) {
                if (!TimestampLayouts.isDigit(line.charAt(q))) digits = false;
            }
            if (digits) {
                out.pidStart = open + 1;
                out.pidEnd = nameEnd - 1;
            }
            nameEnd = open;
        }
        out.serviceStart = s;
        out.serviceEnd = nameEnd;
    }

    private static void leadingTimestampOnly(
            String line, long referenceMillis, Result out, TimestampLayouts.Match match) {
        out.reset();
        if (!line.isEmpty()
                && (Character.isLetterOrDigit(line.charAt(0)))
                && TimestampLayouts.matchAny(line, 0, referenceMillis, match)) {
            out.tsFound = true;
            out.ts = match.epochMillis;
            out.tsStart = 0;
            out.tsEnd = match.end;
        }
    }

    public static int skipSeparator(String line, int p) {
        int n = line.length();
        if (p < n && line.charAt(p) == ',') p++;
        boolean pipe = false;
        while (p < n) {
            char c = line.charAt(p);
            if (c == ' ' || c == '\t') {
                p++;
            } else if (c == '|' && !pipe) {
                pipe = true;
                p++;
            } else {
                break;
            }
        }
        return p;
    }

    /** E.g. {@code "T3 L G"}: type codes, with the layout index after each timestamp. */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < types.length; i++) {
            if (i > 0) sb.append(' ');
            sb.append(types[i].code);
            if (types[i] == FieldType.TS) sb.append(layouts[i]);
        }
        return sb.toString();
    }

    public static HeaderShape decode(String encoded) {
        if (encoded == null || encoded.isBlank()) return NONE;
        String[] parts = encoded.trim().split(" ");
        FieldType[] types = new FieldType[parts.length];
        int[] layouts = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = FieldType.ofCode(parts[i].charAt(0));
            layouts[i] = parts[i].length() > 1 ? Integer.parseInt(parts[i].substring(1)) : TimestampLayouts.NONE;
        }
        return new HeaderShape(types, layouts);
    }

    /** For people: {@code timestamp(N _ h:i:sf~) word tag}. */
    public String describe() {
        if (types.length == 0) return "no header";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < types.length; i++) {
            if (i > 0) sb.append(' ');
            sb.append(types[i].name().toLowerCase());
            if (types[i] == FieldType.TS)
                sb.append('(').append(TimestampLayouts.describe(layouts[i])).append(')');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderShape other
                && Arrays.equals(types, other.types)
                && Arrays.equals(layouts, other.layouts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(types) + Arrays.hashCode(layouts);
    }

    @Override
    public String toString() {
        return encode();
    }
}
