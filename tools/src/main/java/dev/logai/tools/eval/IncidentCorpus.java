package dev.logai.tools.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A seeded corpus of multi-service logs with labelled incidents, for {@link IncidentEvaluation}.
 * Five sources in four formats — {@code checkout} (JSON, three services), {@code auth} (plain text
 * with {@code [service]}, no durations), {@code billing-worker} (logfmt, with a batch export every
 * 30 minutes), {@code edge} (nginx access log with request times) and {@code search} (ECS JSON) —
 * each a Poisson stream of templated lines (ids, users, addresses, {@code duration_ms}) whose rate
 * follows a daily curve (trough at 03:00 UTC at 35% of the afternoon level), a slow random wander
 * (±7%) and a daily peak of its own. About 1.5% of lines are errors and 3% warnings.
 *
 * <p>Labels, all at random times chosen from the seed, with clean stretches between them:
 *
 * <ul>
 *   <li>incidents ({@link Kind#incident()}): {@code spike} (all lines ×3–6 for 5–15 min),
 *       {@code silence} (no line for 8–40 min), {@code slow_leak} (one service's latency rising
 *       linearly to ×5 and its usual error lines to +8% of its lines over 60–120 min, then a
 *       restart), {@code level_shift} (from the onset to the end of the data: a service's errors
 *       +4 points, its latency ×2.5, or the source's volume ×0.45 or ×2.2; labelled for its first
 *       hour, after which the new level is the normal one), {@code warn_surge} (a rare WARN
 *       template of the source at 30–120 a minute for 8–20 min, no error change) and {@code
 *       new_error_template} (an ERROR message never seen before, 5–30 a minute for 5–15 min);
 *   <li>normal activity that must not be flagged: {@code daily_peak} (each source's own daily bump,
 *       ×1.6–2.2 for about an hour with 15-minute ramps), {@code batch_burst} ({@code
 *       billing-worker}'s export, ~150 lines a minute for 2 minutes every 30 minutes) and {@code
 *       deploy} (once a day per source: startup lines with a new version, a one-minute dip).
 * </ul>
 *
 * <p>Access logs have no message to carry a new error or a warning's text, so {@code warn_surge}
 * and {@code new_error_template} go to the four application-log sources; latency changes are only
 * visible where lines carry durations ({@code auth} has none: there a leak shows only as errors).
 * The same seed and length give the same lines, byte for byte.
 *
 * <p>A volume factor ({@link #write(long, int, Path, boolean, double)}) scales every source's
 * rate and the lines an incident or a batch adds (not a deploy's six startup lines): 0.2 is a
 * small tenant ({@code mfa} about one line a minute at its peak), 5 a large one. The labels are
 * the same at every volume; only their line rates say the factor.
 */
public final class IncidentCorpus {
    /** Monday 2026-01-05 00:00 UTC: fixed, so a run never depends on the day it is made. */
    public static final long START = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;
    /** No incident in the first hours: the detectors' warm-up and first baselines. */
    public static final long WARMUP = 2 * HOUR;
    /** Incidents on one source are at least this far apart (end to onset): the clean stretches. */
    static final long CLEAR = 90 * MINUTE;
    /** Incidents start and end at least this far from a daily peak or a deploy of their source. */
    static final long NEAR_NORMAL = 30 * MINUTE;

    /** What a label marks. */
    public enum Kind {
        SPIKE("spike", true),
        SILENCE("silence", true),
        SLOW_LEAK("slow_leak", true),
        LEVEL_SHIFT("level_shift", true),
        WARN_SURGE("warn_surge", true),
        NEW_ERROR_TEMPLATE("new_error_template", true),
        DAILY_PEAK("daily_peak", false),
        BATCH_BURST("batch_burst", false),
        DEPLOY("deploy", false);

        private final String wireName;
        private final boolean incident;

        Kind(String wireName, boolean incident) {
            this.wireName = wireName;
            this.incident = incident;
        }

        /** The name in tables and in {@code labels.csv}, e.g. {@code slow_leak}. */
        public String wireName() {
            return wireName;
        }

        /** True for what must be found; false for normal activity that must not be flagged. */
        public boolean incident() {
            return incident;
        }
    }

    /**
     * A labelled stretch [start, end) of one source (epoch ms). {@code service}: the service the
     * change is in, or "" for the whole source; {@code detail}: what changed, for reading.
     */
    public record Label(String source, Kind kind, long start, long end, String service, String detail) {}

    /** The written corpus: one file per source (in {@link #SOURCES} order), the labels, its lines. */
    public record Corpus(long start, long end, Map<String, Path> files, List<Label> labels, long lines) {}

    /** One kind of line: its service, level, message with placeholders, weight in the mix, whether it has a duration. */
    record Template(String service, String level, String text, double weight, boolean timed) {}

    /** One source: its format, services, line mix and peak level (lines a minute), and its daily peak. */
    record Source(
            String name,
            String format,
            double perMinute,
            List<Template> mix,
            double peakHour,
            double peakFactor,
            double medianMs) {
        boolean timed() {
            return !format.equals("text");
        }

        boolean hasMessages() {
            return !format.equals("access");
        }
    }

    static final List<Source> SOURCES = List.of(
            new Source(
                    "checkout",
                    "json",
                    150,
                    List.of(
                            t("api", "INFO", "GET /v1/orders/{id} returned 200", 30, true),
                            t("api", "INFO", "POST /v1/cart/{id}/items returned 201", 15, true),
                            t("api", "INFO", "GET /v1/products/{sku} served from cache", 20, true),
                            t("api", "WARN", "slow request GET /v1/orders/{id} took {ms} ms", 1.5, true),
                            t("api", "ERROR", "request {hex} failed: upstream inventory returned 503", 0.8, true),
                            t("payments", "INFO", "charge {hex} authorized for order {id} amount={amount}", 8, true),
                            t("payments", "INFO", "refund {hex} issued for order {id}", 1, false),
                            t("payments", "WARN", "card declined for order {id}: insufficient funds", 1, false),
                            t(
                                    "payments",
                                    "ERROR",
                                    "charge {hex} failed for order {id}: processor error {code}",
                                    0.4,
                                    true),
                            t("inventory", "INFO", "reserved {n} items of sku {sku} for order {id}", 10, true),
                            t("inventory", "INFO", "stock level of sku {sku} is now {n}", 5, false),
                            t(
                                    "inventory",
                                    "WARN",
                                    "retrying connection to inventory-db-{n1} (attempt {attempt})",
                                    0.3,
                                    false),
                            t(
                                    "inventory",
                                    "ERROR",
                                    "deadlock detected on table reservations, transaction {id} rolled back",
                                    0.2,
                                    false)),
                    19.5,
                    1.9,
                    40),
            new Source(
                    "auth",
                    "text",
                    70,
                    List.of(
                            t("auth", "INFO", "user {user} logged in from {ip}", 25, false),
                            t("auth", "INFO", "user {user} logged out", 10, false),
                            t("auth", "WARN", "failed login for user {user} from {ip}: bad password", 2, false),
                            t(
                                    "auth",
                                    "ERROR",
                                    "LDAP bind failed for user {user}: connection reset by peer",
                                    0.3,
                                    false),
                            t("sessions", "INFO", "session {hex} created for user {user}", 15, false),
                            t("sessions", "DEBUG", "session {hex} refreshed", 10, false),
                            t("sessions", "INFO", "session {hex} expired after {n} minutes idle", 5, false),
                            t("sessions", "WARN", "session store latency high: {ms} ms on redis-{n1}", 0.3, false),
                            t("sessions", "ERROR", "session {hex} could not be saved: redis-{n1} READONLY", 0.2, false),
                            t("mfa", "INFO", "MFA challenge sent to user {user} via {channel}", 4, false),
                            t("mfa", "INFO", "MFA verified for user {user}", 4, false),
                            t("mfa", "ERROR", "SMS provider returned {code} for user {user}", 0.2, false)),
                    9.0,
                    2.2,
                    0),
            new Source(
                    "billing-worker",
                    "logfmt",
                    50,
                    List.of(
                            t("billing", "INFO", "processed invoice {id} for customer {cust}", 20, true),
                            t("billing", "INFO", "payment reminder queued for invoice {id}", 5, false),
                            t("billing", "WARN", "invoice {id} has no tax region, using the default", 1, false),
                            t(
                                    "billing",
                                    "ERROR",
                                    "failed to render invoice {id}: template is missing field {field}",
                                    0.3,
                                    true),
                            t("scheduler", "INFO", "job {job} started", 5, false),
                            t("scheduler", "INFO", "job {job} finished", 5, true),
                            t("scheduler", "WARN", "job {job} is running late by {n} s", 0.3, false),
                            t("scheduler", "ERROR", "job {job} crashed: exit code {code}", 0.1, false)),
                    6.5,
                    2.0,
                    120),
            new Source(
                    "edge",
                    "access",
                    200,
                    List.of(
                            t("", "INFO", "GET /api/orders/{id}", 30, true),
                            t("", "INFO", "GET /static/app.{hex}.js", 20, true),
                            t("", "INFO", "POST /api/cart/{id}/items", 10, true),
                            t("", "INFO", "GET /api/products?page={n}", 15, true),
                            t("", "WARN", "GET /api/orders/{id}", 1.5, true),
                            t("", "ERROR", "GET /api/orders/{id}", 0.5, true)),
                    12.5,
                    1.7,
                    25),
            new Source(
                    "search",
                    "ecs",
                    100,
                    List.of(
                            t("search", "INFO", "query returned {n} hits from index {index}", 30, true),
                            t("search", "INFO", "autocomplete served for a {n1}-letter prefix", 15, true),
                            t("search", "WARN", "query timed out on shard {n1}, returning partial results", 0.5, true),
                            t("search", "ERROR", "index {index} unavailable: no active shards", 0.15, true),
                            t("indexer", "INFO", "indexed {n} documents into {index}", 8, true),
                            t("indexer", "INFO", "refresh of index {index} completed", 3, true),
                            t("indexer", "WARN", "bulk request rejected, queue full (retry {attempt})", 0.2, false),
                            t("indexer", "ERROR", "mapping conflict in {index} for field {field}", 0.15, false)),
                    10.5,
                    1.6,
                    30));

    /** Messages never in the background mix: one per {@code new_error_template} incident. */
    static final List<String> NEW_ERRORS = List.of(
            "PaymentGatewayTimeoutException: upstream payments-gw timed out after {ms} ms for order {id}",
            "NullPointerException in DiscountService.apply for cart {id}",
            "TLS handshake with partner-api-{n1}.example.net failed: certificate has expired",
            "OutOfMemoryError: Java heap space in worker thread {n1}",
            "schema validation failed for event {hex}: required field customer_id is missing",
            "producer send to topic orders-v2 failed: NOT_LEADER_OR_FOLLOWER for partition {n1}",
            "disk usage on /var/lib/data reached {n1}%: writes are refused",
            "circuit breaker opened for dependency fraud-score after {n} failures");

    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    private static final String[] INDICES = {"products", "orders", "customers", "articles"};
    private static final String[] FIELDS = {"tax_id", "due_date", "currency", "locale"};
    private static final String[] JOBS = {"dunning", "ledger-sync", "fx-rates", "usage-rollup"};
    private static final String[] CHANNELS = {"sms", "email", "totp"};
    private static final String[] AGENTS = {"Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "okhttp/4.12.0"};
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLF =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static Template t(String service, String level, String text, double weight, boolean timed) {
        return new Template(service, level, text, weight, timed);
    }

    private IncidentCorpus() {}

    /**
     * Plans the labels of {@code hours} hours from {@link #START} with {@code seed}: every kind of
     * incident {@code max(2, round(hours / 18))} times (level shifts at most once per source), the
     * daily peaks, batch bursts and deploys. Sorted by source, then start.
     *
     * @throws IllegalArgumentException if {@code hours} is below 12 (too short for clean stretches)
     */
    public static List<Label> plan(long seed, int hours) {
        if (hours < 12) {
            throw new IllegalArgumentException("--hours must be at least 12, to leave room for clean stretches");
        }
        Random random = new Random(seed);
        long end = START + hours * HOUR;
        List<Label> labels = new ArrayList<>();
        for (Source s : SOURCES) {
            for (long day = START; day < end; day += 24 * HOUR) {
                long peak = day + Math.round(s.peakHour() * HOUR) - 30 * MINUTE;
                if (peak + 60 * MINUTE <= end) {
                    labels.add(new Label(
                            s.name(),
                            Kind.DAILY_PEAK,
                            peak - 15 * MINUTE,
                            peak + 75 * MINUTE,
                            "",
                            String.format(Locale.ROOT, "x%.1f for an hour, 15-minute ramps", s.peakFactor())));
                }
                long deploy = day + WARMUP + (long) (random.nextDouble() * (22 * HOUR - WARMUP));
                if (deploy + 3 * MINUTE <= end && !overlaps(labels, s.name(), deploy, deploy + 3 * MINUTE)) {
                    labels.add(new Label(s.name(), Kind.DEPLOY, deploy, deploy + 3 * MINUTE, "", "rolling restart"));
                }
            }
        }
        for (long t = START + 30 * MINUTE; t + 2 * MINUTE <= end; t += 30 * MINUTE) {
            labels.add(new Label(
                    "billing-worker", Kind.BATCH_BURST, t, t + 2 * MINUTE, "batch", "invoice export, ~150 lines/min"));
        }
        int each = Math.max(2, Math.round(hours / 18f));
        List<String> newErrors = new ArrayList<>(NEW_ERRORS);
        java.util.Collections.shuffle(newErrors, random);
        List<String> shifted = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (Kind kind : Kind.values()) {
                if (!kind.incident()) {
                    continue;
                }
                Label l = placeIncident(random, kind, labels, end, shifted, newErrors, i);
                if (l != null) {
                    labels.add(l);
                    if (kind == Kind.LEVEL_SHIFT) {
                        shifted.add(l.source());
                    }
                }
            }
        }
        labels = withoutSilenced(labels);
        labels.sort(Comparator.comparingInt((Label l) -> sourceIndex(l.source()))
                .thenComparingLong(Label::start)
                .thenComparing(l -> l.kind().ordinal()));
        return labels;
    }

    /**
     * The labels with every batch burst cut to what happens outside its source's silences (a burst
     * inside a silence writes nothing, so it is no label there).
     */
    private static List<Label> withoutSilenced(List<Label> labels) {
        List<Label> out = new ArrayList<>();
        for (Label l : labels) {
            List<Label> parts = List.of(l);
            if (l.kind() == Kind.BATCH_BURST) {
                for (Label silence : labels) {
                    if (silence.kind() != Kind.SILENCE || !silence.source().equals(l.source())) {
                        continue;
                    }
                    List<Label> cut = new ArrayList<>();
                    for (Label p : parts) {
                        if (p.end() <= silence.start() || silence.end() <= p.start()) {
                            cut.add(p);
                            continue;
                        }
                        if (p.start() < silence.start()) {
                            cut.add(new Label(
                                    p.source(), p.kind(), p.start(), silence.start(), p.service(), p.detail()));
                        }
                        if (silence.end() < p.end()) {
                            cut.add(new Label(p.source(), p.kind(), silence.end(), p.end(), p.service(), p.detail()));
                        }
                    }
                    parts = cut;
                }
            }
            out.addAll(parts);
        }
        return out;
    }

    private static int sourceIndex(String name) {
        for (int i = 0; i < SOURCES.size(); i++) {
            if (SOURCES.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** An incident of {@code kind} on an eligible source, clear of other labels; null if none fits. */
    private static Label placeIncident(
            Random random,
            Kind kind,
            List<Label> labels,
            long end,
            List<String> shifted,
            List<String> newErrors,
            int i) {
        for (int attempt = 0; attempt < 2_000; attempt++) {
            Source s = SOURCES.get(random.nextInt(SOURCES.size()));
            if ((kind == Kind.WARN_SURGE || kind == Kind.NEW_ERROR_TEMPLATE) && !s.hasMessages()) {
                continue;
            }
            if (kind == Kind.LEVEL_SHIFT && shifted.contains(s.name())) {
                continue;
            }
            long minutes = switch (kind) {
                case SPIKE -> 5 + random.nextInt(11);
                case SILENCE -> 8 + random.nextInt(33);
                case SLOW_LEAK -> 60 + random.nextInt(61);
                case LEVEL_SHIFT -> 60;
                case WARN_SURGE -> 8 + random.nextInt(13);
                case NEW_ERROR_TEMPLATE -> 5 + random.nextInt(11);
                default -> throw new IllegalStateException(kind.toString());
            };
            long latest = end - minutes * MINUTE - CLEAR;
            long earliest = START + WARMUP + 30 * MINUTE;
            if (latest <= earliest) {
                return null;
            }
            long onset = earliest + (long) (random.nextDouble() * (latest - earliest));
            long stop = onset + minutes * MINUTE;
            if (overlaps(labels, s.name(), onset, stop)) {
                continue;
            }
            // A level shift lasts to the end of the data: it goes after the source's other incidents,
            // and a later incident starts once its new level is the normal one.
            if (kind == Kind.LEVEL_SHIFT
                    && labels.stream()
                            .anyMatch(l ->
                                    l.source().equals(s.name()) && l.kind().incident() && l.end() > onset - CLEAR)) {
                continue;
            }
            if (labels.stream()
                    .anyMatch(l ->
                            l.source().equals(s.name()) && l.kind() == Kind.LEVEL_SHIFT && onset < l.end() + CLEAR)) {
                continue;
            }
            String service = s.mix().stream()
                    .map(Template::service)
                    .distinct()
                    .toList()
                    .get(random.nextInt((int)
                            s.mix().stream().map(Template::service).distinct().count()));
            String detail = switch (kind) {
                case SPIKE -> String.format(Locale.ROOT, "all lines x%.1f", 3 + 3 * random.nextDouble());
                case SILENCE -> "no lines";
                case SLOW_LEAK -> "latency to x5 and errors to +8% over the span, then a restart";
                case LEVEL_SHIFT -> {
                    int variant = random.nextInt(s.timed() ? 3 : 2);
                    yield switch (variant) {
                        case 0 -> "errors +4 points";
                        case 1 -> random.nextBoolean() ? "volume x0.45" : "volume x2.2";
                        default -> "latency x2.5";
                    };
                }
                case WARN_SURGE -> String.format(Locale.ROOT, "%d lines/min", 30 + random.nextInt(91));
                case NEW_ERROR_TEMPLATE ->
                    String.format(
                            Locale.ROOT,
                            "%d lines/min: %s",
                            5 + random.nextInt(26),
                            newErrors.get(i % newErrors.size()));
                default -> "";
            };
            if (kind == Kind.WARN_SURGE) {
                Template warn = rareWarning(s);
                service = warn.service();
                detail = detail + ": " + warn.text();
            }
            if (kind == Kind.SPIKE || kind == Kind.SILENCE || detail.startsWith("volume")) {
                service = "";
            }
            return new Label(s.name(), kind, onset, stop, service, detail);
        }
        return null;
    }

    /** The source's rarest WARN template: the one a warning surge is made of. */
    static Template rareWarning(Source s) {
        return s.mix().stream()
                .filter(t -> t.level().equals("WARN"))
                .min(Comparator.comparingDouble(Template::weight))
                .orElseThrow();
    }

    /**
     * Whether [start, end) comes within {@link #CLEAR} of an incident of the source, or within
     * {@link #NEAR_NORMAL} of its daily peak or deploy (batch bursts are everywhere on their source).
     */
    private static boolean overlaps(List<Label> labels, String source, long start, long end) {
        return labels.stream().anyMatch(l -> {
            long margin = l.kind().incident() ? CLEAR : NEAR_NORMAL;
            return l.source().equals(source)
                    && l.kind() != Kind.BATCH_BURST
                    && l.start() < end + margin
                    && start < l.end() + margin;
        });
    }

    /**
     * Writes {@code <source>.log} for every source into {@code dir} (created if missing) and
     * returns them with the labels. About 400 lines a minute in all (1.8M lines in 72 hours).
     *
     * @throws IOException if a file cannot be written
     */
    public static Corpus write(long seed, int hours, Path dir) throws IOException {
        return write(seed, hours, dir, false);
    }

    /**
     * As {@link #write(long, int, Path)}; with {@code retriedErrors}, every error line of the
     * background mix, a leak or an error shift is a failure whose 1–5 retries log the same line
     * again within the next 2 seconds (its minute): errors in clusters of 2–6 lines, as a client
     * that retries and logs each attempt writes them. The labels are the same; the lines differ
     * from the first error on.
     */
    public static Corpus write(long seed, int hours, Path dir, boolean retriedErrors) throws IOException {
        return write(seed, hours, dir, retriedErrors, 1);
    }

    /** Volumes {@link #write(long, int, Path, boolean, double)} accepts: a twentieth to twenty times. */
    public static final double MIN_VOLUME = 0.05;

    public static final double MAX_VOLUME = 20;

    /**
     * As {@link #write(long, int, Path, boolean)}, with every source's lines a minute, and the
     * lines a minute of a warning surge, a new error and a batch export, times {@code volume}
     * (the incidents at the same times; their labels' rates say the scaled figure).
     *
     * @throws IllegalArgumentException if {@code volume} is outside [{@link #MIN_VOLUME}, {@link
     *     #MAX_VOLUME}]
     * @throws IOException if a file cannot be written
     */
    public static Corpus write(long seed, int hours, Path dir, boolean retriedErrors, double volume)
            throws IOException {
        if (!(volume >= MIN_VOLUME && volume <= MAX_VOLUME)) {
            throw new IllegalArgumentException("--volume must be between " + MIN_VOLUME + " and " + MAX_VOLUME);
        }
        List<Label> labels =
                plan(seed, hours).stream().map(l -> atVolume(l, volume)).toList();
        Files.createDirectories(dir);
        long end = START + hours * HOUR;
        Map<String, Path> files = new LinkedHashMap<>();
        long lines = 0;
        for (int i = 0; i < SOURCES.size(); i++) {
            Source s = SOURCES.get(i);
            Path file = dir.resolve(s.name() + ".log");
            List<Label> own =
                    labels.stream().filter(l -> l.source().equals(s.name())).toList();
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                lines += new SourceWriter(s, own, new Random(seed * 31 + i + 1), out, retriedErrors, volume)
                        .run(START, end);
            }
            files.put(s.name(), file);
        }
        return new Corpus(START, end, files, labels, lines);
    }

    /**
     * The label with the lines a minute its detail names ({@code "60 lines/min: …"}, {@code
     * "invoice export, ~150 lines/min"}) times {@code volume}, at least 1; other labels as they are.
     */
    static Label atVolume(Label l, double volume) {
        if (volume == 1) {
            return l;
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(\\d+) lines/min").matcher(l.detail());
        if (!m.find()) {
            return l;
        }
        long scaled = Math.max(1, Math.round(Integer.parseInt(m.group(1)) * volume));
        String detail =
                l.detail().substring(0, m.start(1)) + scaled + l.detail().substring(m.end(1));
        return new Label(l.source(), l.kind(), l.start(), l.end(), l.service(), detail);
    }

    /** Writes one source's lines, minute by minute, in time order. */
    static final class SourceWriter {
        private final Source source;
        private final List<Label> labels;
        /** The labels in force in the current minute (level shifts from their onset on). */
        private final List<Label> active = new ArrayList<>();

        private final Random random;
        private final BufferedWriter out;
        private final double totalWeight;
        private double wander;
        private long written;
        private final StringBuilder line = new StringBuilder(256);
        /** Whether an error line is a failure logged again by 1–5 retries. */
        private final boolean retriedErrors;
        /** The factor on the source's lines a minute (1: as {@link #SOURCES} says). */
        private final double volume;
        /** The template, message and duration (ms, −1: none) of the last {@link #regularLine}. */
        private Template lastTemplate;

        private String lastMessage;
        private double lastMs;

        SourceWriter(Source source, List<Label> labels, Random random, BufferedWriter out) {
            this(source, labels, random, out, false);
        }

        SourceWriter(Source source, List<Label> labels, Random random, BufferedWriter out, boolean retriedErrors) {
            this(source, labels, random, out, retriedErrors, 1);
        }

        SourceWriter(
                Source source,
                List<Label> labels,
                Random random,
                BufferedWriter out,
                boolean retriedErrors,
                double volume) {
            this.retriedErrors = retriedErrors;
            this.volume = volume;
            this.source = source;
            this.labels = labels;
            this.random = random;
            this.out = out;
            this.totalWeight =
                    source.mix().stream().mapToDouble(Template::weight).sum();
        }

        long run(long start, long end) throws IOException {
            record Timed(long ts, String text) {}
            List<Timed> minute = new ArrayList<>();
            for (long m = start; m < end; m += MINUTE) {
                minute.clear();
                active.clear();
                for (Label l : labels) {
                    if (l.start() < m + MINUTE && (m < l.end() || l.kind() == Kind.LEVEL_SHIFT)) {
                        active.add(l);
                    }
                }
                long mid = m + MINUTE / 2;
                wander = 0.9 * wander + 0.03 * random.nextGaussian();
                double rate =
                        volume * source.perMinute() * diurnal(mid) * peak(mid) * Math.exp(wander) * volumeEffects(mid);
                int n = poisson(rate);
                for (int k = 0; k < n; k++) {
                    long ts = m + (long) (random.nextDouble() * MINUTE);
                    String text = regularLine(ts);
                    minute.add(new Timed(ts, text));
                    if (retriedErrors && lastTemplate.level().equals("ERROR")) {
                        long at = ts;
                        for (int retry = 1 + random.nextInt(5); retry > 0; retry--) {
                            // the same failure, logged again by the next attempt
                            at = Math.min(m + MINUTE - 1, at + 50 + random.nextInt(350));
                            minute.add(new Timed(at, format(at, lastTemplate, lastMessage, lastMs)));
                        }
                    }
                }
                for (Label l : active) {
                    if (!(m < l.end())) {
                        continue;
                    }
                    double overlap = (Math.min(l.end(), m + MINUTE) - Math.max(l.start(), m)) / (double) MINUTE;
                    int extra = extraLines(l, mid, overlap);
                    for (int k = 0; k < extra; k++) {
                        long ts = Math.max(l.start(), m)
                                + (long) (random.nextDouble()
                                        * (Math.min(l.end(), m + MINUTE) - Math.max(l.start(), m)));
                        minute.add(new Timed(ts, extraLine(l, ts, k)));
                    }
                }
                minute.sort(Comparator.comparingLong(Timed::ts));
                for (Timed t : minute) {
                    if (silent(t.ts())) {
                        continue;
                    }
                    out.write(t.text());
                    out.write('\n');
                    written++;
                }
            }
            return written;
        }

        /** 35% at 03:00 UTC, 100% at 15:00, a cosine in between. */
        static double diurnal(long ts) {
            double hour = (ts % (24 * HOUR)) / (double) HOUR;
            return 0.35 + 0.65 * (0.5 - 0.5 * Math.cos(2 * Math.PI * (hour - 3) / 24));
        }

        /** The source's daily peak (a normal bump, labelled {@code daily_peak}). */
        double peak(long ts) {
            double f = 1;
            for (Label l : active) {
                if (l.kind() == Kind.DAILY_PEAK && l.start() <= ts && ts < l.end()) {
                    double ramp = 15 * MINUTE;
                    double up = Math.min(1, (ts - l.start()) / ramp);
                    double down = Math.min(1, (l.end() - ts) / ramp);
                    f *= 1 + (source.peakFactor() - 1) * Math.min(up, down);
                }
            }
            return f;
        }

        /** Spikes, volume level shifts and a deploy's dip. */
        double volumeEffects(long ts) {
            double f = 1;
            for (Label l : active) {
                if (l.kind() == Kind.SPIKE && l.start() <= ts && ts < l.end()) {
                    f *= factor(l.detail());
                } else if (l.kind() == Kind.LEVEL_SHIFT && l.detail().startsWith("volume") && l.start() <= ts) {
                    f *= factor(l.detail());
                } else if (l.kind() == Kind.DEPLOY && l.start() <= ts && ts < l.start() + MINUTE) {
                    f *= 0.6;
                }
            }
            return f;
        }

        private boolean silent(long ts) {
            for (Label l : active) {
                if (l.kind() == Kind.SILENCE && l.start() <= ts && ts < l.end()) {
                    return true;
                }
            }
            return false;
        }

        /** {@code x3.4} in a detail → 3.4. */
        static double factor(String detail) {
            int x = detail.indexOf('x');
            int endAt = x + 1;
            while (endAt < detail.length()
                    && (Character.isDigit(detail.charAt(endAt)) || detail.charAt(endAt) == '.')) {
                endAt++;
            }
            return Double.parseDouble(detail.substring(x + 1, endAt));
        }

        /** How far into a ramped incident {@code ts} is: 0 at its onset, 1 at its end. */
        private static double progress(Label l, long ts) {
            return Math.max(0, Math.min(1, (ts - l.start()) / (double) (l.end() - l.start())));
        }

        /** Latency factor of {@code service} at {@code ts}: leaks and latency shifts. */
        private double latencyFactor(String service, long ts) {
            double f = 1;
            for (Label l : active) {
                if (!l.service().equals(service)) {
                    continue;
                }
                if (l.kind() == Kind.SLOW_LEAK && l.start() <= ts && ts < l.end()) {
                    f *= 1 + 4 * progress(l, ts);
                } else if (l.kind() == Kind.LEVEL_SHIFT && l.detail().startsWith("latency") && l.start() <= ts) {
                    f *= 2.5;
                }
            }
            return f;
        }

        /** Extra error share of {@code service} at {@code ts}: leaks and error shifts. */
        private double extraErrors(String service, long ts) {
            double share = 0;
            for (Label l : active) {
                if (!l.service().equals(service)) {
                    continue;
                }
                if (l.kind() == Kind.SLOW_LEAK && l.start() <= ts && ts < l.end()) {
                    share += 0.08 * progress(l, ts);
                } else if (l.kind() == Kind.LEVEL_SHIFT && l.detail().startsWith("errors") && l.start() <= ts) {
                    share += 0.04;
                }
            }
            return share;
        }

        /**
         * Lines added by a label in the minute around {@code mid} of which it covers {@code overlap}
         * (0–1): surges, new errors, batch exports, deploys.
         */
        private int extraLines(Label l, long mid, double overlap) {
            return switch (l.kind()) {
                case WARN_SURGE, NEW_ERROR_TEMPLATE ->
                    poisson(overlap
                            * Integer.parseInt(
                                    l.detail().substring(0, l.detail().indexOf(' '))));
                case BATCH_BURST -> poisson(overlap * 150 * volume);
                case DEPLOY -> mid < l.start() + MINUTE && source.hasMessages() ? 6 : 0;
                default -> 0;
            };
        }

        private String extraLine(Label l, long ts, int k) {
            return switch (l.kind()) {
                case WARN_SURGE ->
                    format(ts, rareWarning(source), fill(rareWarning(source).text()), -1);
                case NEW_ERROR_TEMPLATE -> {
                    String text = l.detail().substring(l.detail().indexOf(": ") + 2);
                    yield format(ts, new Template(l.service(), "ERROR", text, 0, true), fill(text), duration(1) * 20);
                }
                case BATCH_BURST ->
                    format(
                            ts,
                            new Template("batch", "INFO", "", 0, true),
                            "exported invoice batch " + (ts / (30 * MINUTE)) + " chunk " + (1 + random.nextInt(300))
                                    + "/300 rows=" + (500 + random.nextInt(500)),
                            duration(1) * 3);
                case DEPLOY -> {
                    String app = source.name();
                    String[] startup = {
                        "Starting " + app + " version 2." + (ts / (24 * HOUR) % 100) + "." + (k + random.nextInt(9))
                                + " (build " + hex() + ")",
                        "Loaded " + (80 + random.nextInt(40)) + " configuration keys from /etc/" + app + "/config.yaml",
                        "Connected to postgres at db-" + random.nextInt(3) + ".internal:5432",
                        "Warmed up caches in " + (200 + random.nextInt(800)) + " ms",
                        "Listening on 0.0.0.0:8080",
                        "Health check passed, accepting traffic"
                    };
                    Template startupTemplate = new Template(source.mix().get(0).service(), "INFO", "", 0, false);
                    yield format(ts, startupTemplate, startup[k % startup.length], -1);
                }
                default -> throw new IllegalStateException(l.kind().toString());
            };
        }

        /** A line of the background mix, with the incidents in force at {@code ts} applied. */
        private String regularLine(long ts) {
            double pick = random.nextDouble() * totalWeight;
            Template chosen = source.mix().get(source.mix().size() - 1);
            for (Template t : source.mix()) {
                pick -= t.weight();
                if (pick < 0) {
                    chosen = t;
                    break;
                }
            }
            double extra = extraErrors(chosen.service(), ts);
            if (extra > 0 && !chosen.level().equals("ERROR") && random.nextDouble() < extra) {
                // the service's own usual error lines, more often: what a leak or a bad dependency looks like
                String service = chosen.service();
                chosen = source.mix().stream()
                        .filter(t -> t.service().equals(service) && t.level().equals("ERROR"))
                        .findFirst()
                        .orElse(chosen);
            }
            double ms = chosen.timed() ? duration(latencyFactor(chosen.service(), ts)) : -1;
            String message = fill(chosen.text());
            lastTemplate = chosen;
            lastMessage = message;
            lastMs = ms;
            return format(ts, chosen, message, ms);
        }

        /** A latency in ms: log-normal around the source's median (σ 0.5), times {@code factor}. */
        private double duration(double factor) {
            return Math.max(1, source.medianMs() * factor * Math.exp(0.5 * random.nextGaussian()));
        }

        private String format(long ts, Template t, String message, double ms) {
            line.setLength(0);
            switch (source.format()) {
                case "json" -> {
                    line.append("{\"ts\":\"")
                            .append(ISO.format(Instant.ofEpochMilli(ts)))
                            .append("\",\"level\":\"")
                            .append(t.level())
                            .append("\",\"service\":\"")
                            .append(t.service())
                            .append("\",\"msg\":\"")
                            .append(message)
                            .append('"');
                    if (ms >= 0) {
                        line.append(",\"duration_ms\":").append(Math.round(ms));
                    }
                    line.append(",\"trace_id\":\"").append(hex()).append(hex()).append("\"}");
                }
                case "ecs" -> {
                    line.append("{\"@timestamp\":\"")
                            .append(ISO.format(Instant.ofEpochMilli(ts)))
                            .append("\",\"log.level\":\"")
                            .append(t.level().toLowerCase(Locale.ROOT))
                            .append("\",\"service.name\":\"")
                            .append(t.service())
                            .append("\",\"message\":\"")
                            .append(message)
                            .append('"');
                    if (ms >= 0) {
                        line.append(",\"took\":").append(Math.round(ms));
                    }
                    line.append('}');
                }
                case "logfmt" -> {
                    line.append("ts=")
                            .append(ISO.format(Instant.ofEpochMilli(ts)))
                            .append(" level=")
                            .append(t.level().toLowerCase(Locale.ROOT))
                            .append(" service=")
                            .append(t.service())
                            .append(" msg=\"")
                            .append(message)
                            .append('"');
                    if (ms >= 0) {
                        line.append(" duration_ms=").append(Math.round(ms));
                    }
                }
                case "text" ->
                    line.append(ISO.format(Instant.ofEpochMilli(ts)))
                            .append(' ')
                            .append(String.format(Locale.ROOT, "%-5s", t.level()))
                            .append(" [")
                            .append(t.service())
                            .append("] ")
                            .append(message);
                case "access" -> {
                    int status = switch (t.level()) {
                        case "WARN" -> random.nextInt(4) == 0 ? 429 : 404;
                        case "ERROR" -> 500 + random.nextInt(4);
                        default -> random.nextInt(10) == 0 ? 304 : 200;
                    };
                    String[] request = message.split(" ", 2);
                    line.append("10.")
                            .append(random.nextInt(4))
                            .append('.')
                            .append(random.nextInt(256))
                            .append('.')
                            .append(1 + random.nextInt(254))
                            .append(" - - [")
                            .append(CLF.format(Instant.ofEpochMilli(ts)))
                            .append("] \"")
                            .append(request[0])
                            .append(' ')
                            .append(request[1])
                            .append(" HTTP/1.1\" ")
                            .append(status)
                            .append(' ')
                            .append(200 + random.nextInt(20_000))
                            .append(" \"-\" \"")
                            .append(AGENTS[random.nextInt(AGENTS.length)])
                            .append("\" ")
                            .append(String.format(Locale.ROOT, "%.3f", Math.max(ms, 1) / 1000));
                }
                default -> throw new IllegalStateException(source.format());
            }
            return line.toString();
        }

        /** The message with each placeholder filled from the seed. */
        private String fill(String text) {
            if (text.indexOf('{') < 0) {
                return text;
            }
            StringBuilder b = new StringBuilder(text.length() + 32);
            int i = 0;
            while (i < text.length()) {
                int open = text.indexOf('{', i);
                if (open < 0) {
                    b.append(text, i, text.length());
                    break;
                }
                int close = text.indexOf('}', open);
                b.append(text, i, open);
                b.append(value(text.substring(open + 1, close)));
                i = close + 1;
            }
            return b.toString();
        }

        private String value(String name) {
            return switch (name) {
                case "id" -> Integer.toString(100_000 + random.nextInt(900_000));
                case "sku" -> "SKU-" + (1000 + random.nextInt(9000));
                case "hex" -> hex();
                case "ms" -> Long.toString(Math.round(duration(8)));
                case "n" -> Integer.toString(1 + random.nextInt(500));
                case "n1" -> Integer.toString(1 + random.nextInt(9));
                case "attempt" -> Integer.toString(1 + random.nextInt(5));
                case "amount" -> String.format(Locale.ROOT, "%d.%02d", 5 + random.nextInt(300), random.nextInt(100));
                case "code" -> Integer.toString(new int[] {402, 429, 500, 502, 503}[random.nextInt(5)]);
                case "user" -> USERS[random.nextInt(USERS.length)] + random.nextInt(1000);
                case "ip" -> "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
                case "cust" -> "cus_" + hex();
                case "field" -> FIELDS[random.nextInt(FIELDS.length)];
                case "index" -> INDICES[random.nextInt(INDICES.length)];
                case "job" -> JOBS[random.nextInt(JOBS.length)];
                case "channel" -> CHANNELS[random.nextInt(CHANNELS.length)];
                default -> throw new IllegalArgumentException("unknown placeholder {" + name + "}");
            };
        }

        private String hex() {
            return Long.toHexString(0x1000_0000L + (random.nextLong() & 0x0fff_ffffL));
        }

        /** A Poisson count with mean {@code mean} (Knuth's method below 30, a rounded normal above). */
        private int poisson(double mean) {
            if (mean <= 0) {
                return 0;
            }
            if (mean < 30) {
                double limit = Math.exp(-mean);
                double p = random.nextDouble();
                int k = 0;
                while (p > limit) {
                    p *= random.nextDouble();
                    k++;
                }
                return k;
            }
            return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
    }
}
