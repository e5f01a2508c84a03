package dev.logai.flink.parse;

import dev.logai.flink.parse.text.HeaderShape;
import java.util.Objects;

/**
 * What a source writes, as detected from its lines (or set by its {@code parser_hint}): one of
 * the structured formats, or free text with a learned {@link HeaderShape}. Encoded as a short
 * string ({@code json}, {@code text:T3 L G}) for Flink state and reports.
 */
public final class SourceFormat {
    public enum Kind {
        JSON,
        LOGFMT,
        SYSLOG,
        ACCESS,
        TEXT,
        PATTERN
    }

    public final Kind kind;
    /** The learned header, for TEXT. */
    public final HeaderShape shape;
    /** The user's pattern, for PATTERN. */
    public final UserPattern pattern;

    private SourceFormat(Kind kind, HeaderShape shape, UserPattern pattern) {
        this.kind = kind;
        this.shape = shape;
        this.pattern = pattern;
    }

    public static final SourceFormat JSON = new SourceFormat(Kind.JSON, HeaderShape.NONE, null);
    public static final SourceFormat LOGFMT = new SourceFormat(Kind.LOGFMT, HeaderShape.NONE, null);
    public static final SourceFormat SYSLOG = new SourceFormat(Kind.SYSLOG, HeaderShape.NONE, null);
    public static final SourceFormat ACCESS = new SourceFormat(Kind.ACCESS, HeaderShape.NONE, null);

    public static SourceFormat text(HeaderShape shape) {
        return new SourceFormat(Kind.TEXT, shape, null);
    }

    public static SourceFormat pattern(UserPattern pattern) {
        return new SourceFormat(Kind.PATTERN, HeaderShape.NONE, pattern);
    }

    public String encode() {
        switch (kind) {
            case TEXT:
                return "text:" + shape.encode();
            case PATTERN:
                return "pattern:" + pattern.source();
            default:
                return kind.name().toLowerCase();
        }
    }

    public static SourceFormat decode(String encoded) {
        if (encoded.startsWith("text:")) return text(HeaderShape.decode(encoded.substring(5)));
        if (encoded.startsWith("pattern:")) return pattern(UserPattern.compile(encoded.substring(8)));
        switch (encoded) {
            case "json":
                return JSON;
            case "logfmt":
                return LOGFMT;
            case "syslog":
                return SYSLOG;
            case "access":
                return ACCESS;
            default:
                throw new IllegalArgumentException("unknown source format " + encoded);
        }
    }

    /** For reports: {@code json}, {@code text [timestamp(N _ h:i:sf~) word tag]}. */
    public String describe() {
        switch (kind) {
            case TEXT:
                return "text [" + shape.describe() + "]";
            case PATTERN:
                return "pattern [" + pattern.source() + "]";
            default:
                return kind.name().toLowerCase();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceFormat other && encode().equals(other.encode());
    }

    @Override
    public int hashCode() {
        return Objects.hash(encode());
    }

    @Override
    public String toString() {
        return encode();
    }
}
