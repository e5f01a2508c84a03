package dev.logai.flink.template;

import java.util.Arrays;

/**
 * One mined pattern of a source: its tokens, where {@code <*>} marks a variable. A token that
 * became variable by merging keeps the constant text its values share ({@code rhost=<*>},
 * {@code (<*>)}) as {@link #prefix}/{@link #suffix}, so matching checks those ends.
 *
 * <p>The id is a hash of the text ({@link TemplateIds}): the same text has the same id in every
 * source of an org, after a restart, and after rescaling.
 */
public final class Template {
    /** Most tokens beyond its own one whole-token merged variable may stand for (a user name with spaces). */
    static final int MAX_SPAN = 1;
    /** Whole-token variables a template may have and still span: bounds the matching work. */
    static final int MAX_SPANNING_VARIABLES = 3;

    final String id;
    final String text;
    final String[] tokens;
    /** Non-null at positions that are merge-made variables: the constant start the values share. */
    final String[] prefix;

    final String[] suffix;
    long count;
    long firstSeen;
    long lastSeen;
    /** Set when this template was generalised into another; lines that still map here follow it. */
    Template mergedInto;

    boolean evicted;
    /** {@link TemplateMiner#skeletonKeys}, computed once. */
    long[] skeleton;
    /** The count at which the template is next written to state (powers of two). */
    long persistAtCount;

    Template(String[] tokens, String[] prefix, String[] suffix) {
        this.tokens = tokens;
        this.prefix = prefix;
        this.suffix = suffix;
        this.text = String.join(" ", tokens);
        this.id = TemplateIds.of(text);
    }

    public String id() {
        return id;
    }

    public String text() {
        return text;
    }

    public long count() {
        return count;
    }

    public long firstSeen() {
        return firstSeen;
    }

    public long lastSeen() {
        return lastSeen;
    }

    public int size() {
        return tokens.length;
    }

    /** The template this one now lives in (itself unless merged). */
    public Template current() {
        Template t = this;
        while (t.mergedInto != null) t = t.mergedInto;
        return t;
    }

    boolean alive() {
        return mergedInto == null && !evicted;
    }

    boolean matches(String[] masked) {
        if (masked.length != tokens.length) return false;
        for (int i = 0; i < tokens.length; i++) {
            if (!tokenMatches(i, masked[i])) return false;
        }
        return true;
    }

    boolean tokenMatches(int i, String token) {
        if (prefix[i] == null) return tokens[i].equals(token);
        String pre = prefix[i], suf = suffix[i];
        return token.length() >= pre.length() + suf.length() && token.startsWith(pre) && token.endsWith(suf);
    }

    /** A merged variable that is the whole token ({@code <*>}, no shared punctuation around it). */
    boolean isWholeVariable(int i) {
        return prefix[i] != null && prefix[i].isEmpty() && suffix[i].isEmpty();
    }

    /**
     * Whether lines with a different token count may match: the template has 1 to {@value
     * #MAX_SPANNING_VARIABLES} whole-token merged variables and at least three constant words to
     * anchor them.
     */
    boolean canSpan() {
        int variables = 0, words = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (isWholeVariable(i)) variables++;
            else if (isWord(i)) words++;
        }
        return variables >= 1 && variables <= MAX_SPANNING_VARIABLES && words >= 3;
    }

    /**
     * Matches {@code line} (masked tokens) where each whole-token merged variable stands for 0 to
     * {@value #MAX_SPAN} + 1 tokens and every other token matches one token.
     */
    boolean spanMatches(String[] line) {
        return spanFrom(0, 0, line);
    }

    private boolean spanFrom(int ti, int li, String[] line) {
        if (ti == tokens.length) return li == line.length;
        if (isWholeVariable(ti)) {
            int rest = tokens.length - ti - 1;
            for (int k = 0; k <= 1 + MAX_SPAN && li + k + rest <= line.length + MAX_SPANNING_VARIABLES; k++) {
                if (li + k > line.length) break;
                if (spanFrom(ti + 1, li + k, line)) return true;
            }
            return false;
        }
        if (li >= line.length || !tokenMatches(ti, line[li])) return false;
        return spanFrom(ti + 1, li + 1, line);
    }

    boolean isWord(int i) {
        return prefix[i] == null && !tokens[i].contains(TokenMasker.VAR);
    }

    @Override
    public String toString() {
        return id + " " + text + " x" + count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Template t && t.id.equals(id) && Arrays.equals(t.tokens, tokens);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
