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
