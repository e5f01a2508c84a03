package dev.logai.flink.parse;

import dev.logai.common.parse.ParserHints;
import dev.logai.flink.parse.container.ContainerLine;
import dev.logai.flink.parse.text.HeaderShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a source writes, as detected from its lines (or set by its {@code parser_hint}): one of
 * the structured formats, or free text with a learned {@link HeaderShape}; when a container
 * runtime wrote the lines (CRI, Docker json-file), that runtime, the format being the one of the
 * application's text inside. A source may write several formats at once (a pod running two
 * processes, a sidecar beside the app, {@code docker compose logs}): the format that most lines
 * are in is the primary one and the others are {@link #alternates}, tried in order when a line
 * does not fit the primary. Encoded as a short string ({@code json}, {@code text:T3 L G},
 * {@code cri|logfmt}, alternates on further lines) for Flink state and reports.
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
    /** The source's other formats, most used first, each without alternates of its own; at most {@link #MAX_ALTERNATES}. */
    public final List<SourceFormat> alternates;

    /** Formats a source keeps beside its primary one. */
    public static final int MAX_ALTERNATES = 3;

    private SourceFormat(Kind kind, HeaderShape shape, UserPattern pattern) {
        this(kind, shape, pattern, null, List.of());
    }

    private SourceFormat(
            Kind kind,
            HeaderShape shape,
            UserPattern pattern,
            ContainerLine.Runtime container,
            List<SourceFormat> alternates) {
        this.kind = kind;
        this.shape = shape;
        this.pattern = pattern;
        this.container = container;
        this.alternates = alternates;
    }

    /** This format, of the application's text inside lines written by {@code runtime} (null: none). */
    public SourceFormat inContainer(ContainerLine.Runtime runtime) {
        return runtime == container ? this : new SourceFormat(kind, shape, pattern, runtime, alternates);
    }

    /**
     * This format as the primary one with {@code others} as alternates (their own alternates and
     * duplicates of the primary dropped, at most {@link #MAX_ALTERNATES} kept, in the given order).
     */
    public SourceFormat withAlternates(List<SourceFormat> others) {
        List<SourceFormat> kept = new ArrayList<>();
        SourceFormat primary = alone();
        for (SourceFormat other : others) {
            SourceFormat o = other.alone();
            if (!o.encodeInner().equals(primary.encodeInner()) && !kept.contains(o) && kept.size() < MAX_ALTERNATES) {
                kept.add(o);
            }
        }
        return new SourceFormat(kind, shape, pattern, container, List.copyOf(kept));
    }

    /** This format without alternates or container (how an alternate is held). */
    public SourceFormat alone() {
        return alternates.isEmpty() && container == null
                ? this
                : new SourceFormat(kind, shape, pattern, null, List.of());
    }

    /** The primary format if it is free text, else the first free-text alternate, else null. */
    public SourceFormat textFormat() {
        if (kind == Kind.TEXT) return this;
        for (SourceFormat a : alternates) {
            if (a.kind == Kind.TEXT) return a;
        }
        return null;
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

    /**
     * The format a source's {@code parser_hint} (spec §3) names, overriding detection: {@code json}
     * (or {@code ndjson}), {@code logfmt}, {@code syslog} ({@code rfc5424}, {@code rfc3164}),
     * {@code access} ({@code nginx}, {@code apache}, {@code clf}, {@code combined}), Logstash's
     * whole-line Grok names for those ({@link ParserHints#GROK_FORMATS}), or a Grok pattern / Java
     * regex with named groups ({@link UserPattern}). Null for hints that ask for detection
     * ({@code auto}, {@code text}) or name a container runtime ({@code cri}, {@code docker},
     * {@code kubernetes}: their lines identify themselves and the application's format inside is
     * learned). Case-insensitive names.
     *
     * @throws IllegalArgumentException for a pattern that does not compile, with the reason
     */
    public static SourceFormat fromHint(String hint) {
        if (hint == null || hint.isBlank()) return null;
        String name = ParserHints.formatName(hint);
        switch (name == null ? "" : name) {
            case "json", "ndjson":
                return JSON;
            case "logfmt":
                return LOGFMT;
            case "syslog", "rfc5424", "rfc3164":
                return SYSLOG;
            case "access", "nginx", "apache", "clf", "combined":
                return ACCESS;
            default:
                // the other format names ask for detection; anything else must be a pattern
                return ParserHints.isFormatName(hint) ? null : pattern(UserPattern.compile(hint));
        }
    }

    public String encode() {
        StringBuilder inner = new StringBuilder(encodeInner());
        for (SourceFormat a : alternates) inner.append('\n').append(a.encodeInner());
        return container == null ? inner.toString() : container.name().toLowerCase() + "|" + inner;
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
        int newline = encoded.indexOf('\n');
        if (newline > 0) {
            List<SourceFormat> alternates = new ArrayList<>();
            for (String a : encoded.substring(newline + 1).split("\n")) alternates.add(decode(a));
            return decode(encoded.substring(0, newline)).withAlternates(alternates);
        }
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
        StringBuilder inner = new StringBuilder(describeInner());
        for (SourceFormat a : alternates) inner.append(" + ").append(a.describeInner());
        return container == null ? inner.toString() : container.name().toLowerCase() + ": " + inner;
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
