package dev.logai.flink.parse.text;

/** What one whitespace-separated field at the start of a text line looks like. */
public enum FieldType {
    /** A timestamp, possibly several words long ({@code Jun 14 15:16:01}). */
    TS('T'),
    /** A severity word ({@code INFO}, {@code notice}, {@code W}). */
    LEVEL('L'),
    /** Digits only (pid, thread id, sequence). */
    NUM('N'),
    /** A lone {@code -}: an empty field or a separator. */
    DASH('-'),
    /** {@code [...]}: a bracketed timestamp, level, thread or context. */
    BRACKET('B'),
    /** A program or logger tag ending in a colon ({@code sshd[42]:}, {@code o.a.Foo:}). */
    TAG('G'),
    /** Anything else: host, component, a word. */
    WORD('W');

    public final char code;

    FieldType(char code) {
        this.code = code;
    }

    static FieldType ofCode(char code) {
        for (FieldType t : values()) {
            if (t.code == code) return t;
        }
        throw new IllegalArgumentException("unknown field type code " + code);
    }

    /** Whether a line's field of type {@code actual} fits a learned position of this type. */
    boolean accepts(FieldType actual) {
        if (actual == this || actual == DASH) return true;
        switch (this) {
            case WORD:
                return actual == NUM || actual == LEVEL;
            case DASH:
                return actual == WORD || actual == NUM || actual == LEVEL;
            default:
                return false;
        }
    }

    /** A field that can end a header: after it, the message may begin. */
    boolean terminal() {
        return this != WORD;
    }
}
