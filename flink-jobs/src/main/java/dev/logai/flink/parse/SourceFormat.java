package dev.logai.flink.parse;

import dev.logai.flink.parse.container.ContainerLine;
import dev.logai.flink.parse.text.HeaderShape;
import java.util.Objects;

/**
 * What a source writes, as detected from its lines (or set by its {@code parser_hint}): one of
 * the structured formats, or free text with a learned {@link HeaderShape}; when a container
 * runtime wrote the lines (CRI, Docker json-file), that runtime, the format being the one of the
 * application's text inside. Encoded as a short string ({@code json}, {@code text:T3 L G},
 * {@code cri|logfmt}) for Flink state and reports.
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
    /**
     * The container runtime that wrote most of the sample's lines, or null. Informational: every
     * line is unwrapped by its own shape, whatever this says.
     */
    public final ContainerLine.Runtime container;

    private SourceFormat(Kind kind, HeaderShape shape, UserPattern pattern) {
        this(kind, shape, pattern, null);
    }

    private SourceFormat(Kind kind, HeaderShape shape, UserPattern pattern, ContainerLine.Runtime container) {
        this.kind = kind;
        this.shape = shape;
        this.pattern = pattern;
        this.container = container;
    }

    /** This format, of the application's text inside lines written by {@code runtime} (null: none). */
    public SourceFormat inContainer(ContainerLine.Runtime runtime) {
        return runtime == container ? this : new SourceFormat(kind, shape, pattern, runtime);
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
        String inner = encodeInner();
        return container == null ? inner : container.name().toLowerCase() + "|" + inner;
    }

    private String encodeInner() {
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
        int bar = encoded.indexOf('|');
        if (bar > 0 && !encoded.startsWith("pattern:")) {
            ContainerLine.Runtime runtime =
                    ContainerLine.Runtime.valueOf(encoded.substring(0, bar).toUpperCase());
            return decode(encoded.substring(bar + 1)).inContainer(runtime);
        }
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

    /** For reports: {@code json}, {@code text [timestamp(N _ h:i:sf~) word tag]}, {@code cri: logfmt}. */
    public String describe() {
        String inner = describeInner();
        return container == null ? inner : container.name().toLowerCase() + ": " + inner;
    }

    private String describeInner() {
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
