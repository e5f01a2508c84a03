package dev.logai.flink.parse.text;

import dev.logai.flink.parse.Level;

/**
 * The first fields of one text line, typed: what {@link HeaderLearner} compares across a source's
 * lines. Reused per thread; {@link #read} allocates nothing.
 */
final class HeaderFields {
    static final int MAX_FIELDS = 14;
    /** How far into a line the header may reach. */
    static final int MAX_HEADER_CHARS = 320;

    static final byte SEP_END = 0;
    static final byte SEP_SPACE = 1;
    /** Two or more blanks or a tab: a column-aligned header. */
    static final byte SEP_WIDE = 2;

    static final byte SEP_PIPE = 3;
    static final byte SEP_COMMA = 4;

    final int[] start = new int[MAX_FIELDS];
    final int[] end = new int[MAX_FIELDS];
    /** Where the next field (or the message) starts. */
    final int[] next = new int[MAX_FIELDS];

    final FieldType[] type = new FieldType[MAX_FIELDS];
    final byte[] sep = new byte[MAX_FIELDS];
    final int[] tsLayout = new int[MAX_FIELDS];
    /** For a BRACKET: whether it holds a timestamp or a level, which makes it a header field for sure. */
    final boolean[] bracketHoldsHeader = new boolean[MAX_FIELDS];

    int count;

    private final TimestampLayouts.Match match = new TimestampLayouts.Match();

    /** Types up to {@link #MAX_FIELDS} fields of {@code line}, trying every timestamp layout. */
    void read(String line, long referenceMillis) {
        count = 0;
        int n = Math.min(line.length(), MAX_HEADER_CHARS);
        int p = 0;
        while (count < MAX_FIELDS && p < n) {
            int i = count;
            start[i] = p;
            tsLayout[i] = TimestampLayouts.NONE;
            char c = line.charAt(p);
            if (TimestampLayouts.isDigit(c) || Character.isLetter(c)) {
                if (TimestampLayouts.matchAny(line, p, referenceMillis, match)) {
                    type[i] = FieldType.TS;
                    tsLayout[i] = match.layout;
                    end[i] = match.end;
                    p = separator(line, match.end, i);
                    count++;
                    continue;
                }
            }
            if (c == '[') {
                int close = closingBracket(line, p, n);
                if (close > 0) {
                    type[i] = FieldType.BRACKET;
                    bracketHoldsHeader[i] = bracketLevel(line, p, close) != null
                            || TimestampLayouts.matchAny(line, p + 1, referenceMillis, match);
                    end[i] = close + 1;
                    p = separator(line, close + 1, i);
                    count++;
                    continue;
                }
            }
            int e = wordEnd(line, p);
            end[i] = e;
            type[i] = classifyWord(line, p, e);
            p = separator(line, e, i);
            count++;
        }
    }

    /** After the field ending at {@code p}: records the separator kind and returns where the next field starts. */
    private int separator(String line, int p, int field) {
        int n = line.length();
        int q = p;
        byte kind = SEP_END;
        if (q < n && line.charAt(q) == ',' && q + 1 < n && line.charAt(q + 1) == ' ') {
            kind = SEP_COMMA;
            q++;
        }
        int blanks = 0;
        boolean tab = false;
        while (q < n) {
            char c = line.charAt(q);
            if (c == ' ') {
                blanks++;
            } else if (c == '\t') {
                tab = true;
            } else if (c == '|' && kind != SEP_PIPE) {
                kind = SEP_PIPE;
            } else {
                break;
            }
            q++;
        }
        if (kind == SEP_END && q < n) {
            kind = blanks >= 2 || tab ? SEP_WIDE : SEP_SPACE;
        }
        sep[field] = q >= n ? SEP_END : kind;
        next[field] = q;
        return q;
    }

    static int wordEnd(String line, int p) {
        int n = line.length();
        int e = p;
        while (e < n) {
            char c = line.charAt(e);
            if (c == ' ' || c == '\t' || c == '|') break;
            e++;
        }
        // "Info," ends a column the same way as "Info"
        if (e - p > 1 && line.charAt(e - 1) == ',') e--;
        return e;
    }

    static int closingBracket(String line, int open, int limit) {
        int depth = 0;
        for (int q = open; q < limit; q++) {
            char c = line.charAt(q);
            if (c == '[') depth++;
            else if (c == ']' && --depth == 0) return q;
        }
        return -1;
    }

    static FieldType classifyWord(String line, int s, int e) {
        int len = e - s;
        if (len == 1 && line.charAt(s) == '-') return FieldType.DASH;
        if (len > 1 && line.charAt(e - 1) == ':' && line.charAt(e - 2) != ':') return FieldType.TAG;
        if (len > 2 && line.charAt(e - 1) == ']' && line.charAt(s) != '[' && isSourceLocation(line, s, e - 1)) {
            return FieldType.TAG; // glog/klog's "controller.go:123]"
        }
        boolean digits = true;
        for (int q = s; q < e; q++) {
            if (!TimestampLayouts.isDigit(line.charAt(q))) {
                digits = false;
                break;
            }
        }
        if (digits && len > 0) return FieldType.NUM;
        if (Levels.of(line, s, e) != null) return FieldType.LEVEL;
        return FieldType.WORD;
    }

    /** {@code file.ext:123}: a source location. */
    private static boolean isSourceLocation(String line, int s, int e) {
        int colon = -1;
        for (int q = e - 1; q > s; q--) {
            if (line.charAt(q) == ':') {
                colon = q;
                break;
            }
        }
        if (colon < 0 || colon == e - 1) return false;
        for (int q = colon + 1; q < e; q++) {
            if (!TimestampLayouts.isDigit(line.charAt(q))) return false;
        }
        return line.lastIndexOf('.', colon) > s;
    }

    /** The level written in a bracket such as {@code [notice]} or {@code [ERROR]}, or null. */
    static Level bracketLevel(String line, int open, int close) {
        int s = open + 1;
        int e = close;
        while (s < e && line.charAt(s) == ' ') s++;
        while (e > s && line.charAt(e - 1) == ' ') e--;
        return Levels.of(line, s, e);
    }
}
