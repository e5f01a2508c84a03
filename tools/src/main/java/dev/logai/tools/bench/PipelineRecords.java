package dev.logai.tools.bench;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.RawLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The raw-lines topic of {@code ./logai bench pipeline}: gateway batches ({@link LogBatch}, one per
 * accepted request) of {@value #SOURCES} sources in {@value #ORGS} orgs, in the order the gateway
 * would have written them, over {@link #SPAN} of real time.
 *
 * <p>What makes it realistic: seven formats (ECS JSON sent as NDJSON, logfmt, RFC 5424, Nginx
 * combined, Log4j text, syslog files, Log4j text with Java stack traces) from {@link
 * LineGenerators}; busy and quiet sources (the busiest sends ~5× the quietest), Poisson arrivals,
 * 100–500 lines per request, shipped 50 ms–1.5 s after the last line; about 1% errors, 4% warnings
 * and 10% debug; each source on its own clock ({@link #skewMs}: most a second or two behind, some
 * hours or days behind, one a few minutes ahead), with up to 200 ms of disorder within a source;
 * three sources with a 10-minute incident (twice the volume, 30% errors of a new message) late
 * enough that their detectors are warmed up; half the sources send an {@code Idempotency-Key} and
 * one of their requests in {@value #RETRY_ONE_IN} is retried a few seconds later (the job drops
 * it).
 *
 * <p>Deterministic for a seed and an end time: each source draws from its own {@link Random}.
 */
final class PipelineRecords {
    static final int SOURCES = 24;
    static final int ORGS = 6;
    /** Real time the topic covers: two hours, so each source has ~120 one-minute windows. */
    static final Duration SPAN = Duration.ofHours(2);

    static final int MIN_BATCH_LINES = 100;
    static final int MAX_BATCH_LINES = 500;
    static final int RETRY_ONE_IN = 400;
    static final Duration INCIDENT = Duration.ofMinutes(10);

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();

    enum Format {
        JSON,
        LOGFMT,
        SYSLOG_5424,
        ACCESS,
        TEXT,
        SYSLOG_FILE,
        TEXT_WITH_TRACES;

        String line(Random r, long at, String level, String message, boolean incident) {
            return switch (this) {
                case JSON -> LineGenerators.json(r, at, level, message);
                case LOGFMT -> LineGenerators.logfmt(r, at, level, message);
                case SYSLOG_5424 -> LineGenerators.syslog5424(r, at, level, message);
                case ACCESS ->
                    LineGenerators.accessCombined(
                            r, at, level, incident ? "/api/v1/payments/authorize" : LineGenerators.path(r));
                case TEXT, TEXT_WITH_TRACES -> LineGenerators.textWithHeader(r, at, level, message);
                case SYSLOG_FILE -> LineGenerators.syslogFile(r, at, message);
            };
        }
    }

    /**
     * One simulated source.
     *
     * @param skewMs how far its clock is off: a line written at real time t says t + skewMs
     * @param weight its share of the volume, relative to the other sources
     * @param idempotencyKeys whether its shipper sends an {@code Idempotency-Key} (and so may retry)
     * @param incident whether it has the incident
     */
    record Source(
            String orgId,
            String sourceId,
            Format format,
            long skewMs,
            double weight,
            boolean idempotencyKeys,
            boolean incident) {}

    /**
     * One Kafka record to write.
     *
     * @param events how many events (lines that are not continuation lines) it holds
     * @param retry whether it repeats an earlier request with the same key (the job drops it)
     */
    record Batch(LogBatch batch, int events, boolean retry) {}

    /** What {@link #generate} wrote. Lines are physical lines (a stack trace's lines each count). */
    record Totals(long batches, long lines, long events, long retriedBatches, long retriedLines, long retriedEvents) {
        /** Lines of first-time requests: what the job archives. */
        long acceptedLines() {
            return lines - retriedLines;
        }

        /** Events of first-time requests: what the job's windows count. */
        long acceptedEvents() {
            return events - retriedEvents;
        }
    }

    private PipelineRecords() {}

    /** How far each source's clock is off: hours and days behind for a few, one ahead (within the parser's 5 minutes). */
    static long skewMs(int index, Random r) {
        return switch (index) {
            case 2 -> -3 * HOUR; // a host whose clock was never synchronised
            case 5 -> -26 * HOUR; // a shipper replaying yesterday's file
            case 9 -> -3 * DAY; // a backfill of an outage
            case 13 -> -9 * HOUR; // local time (UTC-9) written without a zone
            case 17 -> -45 * 60_000L; // a batch job that logs at the end
            case 21 -> 3 * 60_000L; // a clock running ahead
            default -> -r.nextInt(2_000); // NTP-synchronised, shipped with a little lag
        };
    }

    /** The {@value #SOURCES} sources, four per org; formats cycle, so each org mixes several. */
    static List<Source> sources(long seed) {
        Random r = new Random(seed);
        Format[] formats = Format.values();
        List<Source> out = new ArrayList<>(SOURCES);
        for (int i = 0; i < SOURCES; i++) {
            Format format = formats[i % formats.length];
            out.add(new Source(
                    "org_bench_" + (i % ORGS),
                    String.format(Locale.ROOT, "src_%02d_%s", i, format.name().toLowerCase(Locale.ROOT)),
                    format,
                    skewMs(i, r),
                    // 1 to ~5.6: a few busy sources, many quieter ones
                    4.0 / (1 + (i * 7 % SOURCES) / 4.0) + 0.3,
                    i % 2 == 0,
                    i == 1 || i == 6 || i == 10));
        }
        return out;
    }

    /**
     * Hands {@code out} batches in gateway order (by receive time): about {@code lines} lines (the
     * arrivals are random; stack traces and incidents add a few percent), over {@link #SPAN} of real
     * time up to {@code endMillis}, when every shipper sends what it holds (a last request of fewer
     * than {@value #MIN_BATCH_LINES} lines).
     */
    static Totals generate(long lines, long endMillis, long seed, Consumer<Batch> out) {
        List<Source> sources = sources(seed);
        double totalWeight = sources.stream().mapToDouble(Source::weight).sum();
        long start = endMillis - SPAN.toMillis();
        PriorityQueue<Pending> queue = new PriorityQueue<>();
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            double linesPerMs = lines * s.weight() / totalWeight / SPAN.toMillis();
            Shipper shipper = new Shipper(s, new Random(seed * 31 + i), start, linesPerMs, endMillis);
            queue.add(shipper.next());
        }
        long batches = 0, written = 0, events = 0, retried = 0, retriedLines = 0, retriedEvents = 0;
        while (!queue.isEmpty()) {
            Pending p = queue.poll();
            out.accept(p.batch);
            batches++;
            written += p.batch.batch().lines().size();
            events += p.batch.events();
            if (p.batch.retry()) {
                retried++;
                retriedLines += p.batch.batch().lines().size();
                retriedEvents += p.batch.events();
            } else if (p.shipper != null) {
                Pending retry = p.shipper.maybeRetry(p.batch);
                if (retry != null) {
                    queue.add(retry);
                }
                if (p.shipper.hasMore()) {
                    queue.add(p.shipper.next());
                }
            }
        }
        return new Totals(batches, written, events, retried, retriedLines, retriedEvents);
    }

    /** A batch waiting for its receive time; retries have no shipper (nothing follows them). */
    private record Pending(Batch batch, Shipper shipper) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            return Long.compare(
                    batch.batch().receivedAtMillis(), o.batch.batch().receivedAtMillis());
        }
    }

    /** One source's log shipper: its lines in real time, its clock, its requests. */
    private static final class Shipper {
        private final Source source;
        private final Random r;
        private final double linesPerMs;
        private final long incidentStart;
        private final long incidentEnd;
        private final long end;
        private double now;
        private long requests;

        Shipper(Source source, Random r, long start, double linesPerMs, long end) {
            this.source = source;
            this.r = r;
            this.linesPerMs = linesPerMs;
            this.now = start + r.nextInt(5_000);
            // In the second hour, staggered: the detectors have seen ~70 windows by then.
            this.incidentStart =
                    source.incident() ? end - SPAN.toMillis() * 4 / 10 + r.nextInt(600_000) : Long.MAX_VALUE;
            this.incidentEnd = incidentStart + INCIDENT.toMillis();
            this.end = end;
        }

        boolean hasMore() {
            return now < end;
        }

        Pending next() {
            int target = MIN_BATCH_LINES + r.nextInt(MAX_BATCH_LINES - MIN_BATCH_LINES + 1);
            List<RawLine> lines = new ArrayList<>(target + 24);
            int events = 0;
            while (lines.size() < target && now < end) {
                boolean incident = now >= incidentStart && now < incidentEnd;
                now += -Math.log(1 - r.nextDouble()) / (incident ? 2 * linesPerMs : linesPerMs);
                long at = (long) now + source.skewMs() - r.nextInt(200);
                String level;
                String message;
                if (incident && r.nextInt(10) < 3) {
                    level = "error";
                    message = "payment provider timeout after " + (1_000 + r.nextInt(9_000)) + " ms";
                } else {
                    int dice = r.nextInt(1_000);
                    level = dice < 10 ? "error" : dice < 50 ? "warn" : dice < 150 ? "debug" : "info";
                    message = LineGenerators.message(r);
                }
                boolean trace =
                        source.format() == Format.TEXT_WITH_TRACES && (level.equals("error") || r.nextInt(40) == 0);
                if (trace && !level.equals("error")) {
                    level = "warn";
                }
                lines.add(RawLine.of(source.format().line(r, at, level, message, incident)));
                events++;
                if (trace) {
                    for (String continuation : LineGenerators.stackTrace(r)) {
                        lines.add(RawLine.of(continuation));
                    }
                }
            }
            long receivedAt = (long) now + 50 + r.nextInt(1_450);
            requests++;
            LogBatch batch = new LogBatch(
                    source.orgId(),
                    source.sourceId(),
                    batchId(),
                    receivedAt,
                    source.format() == Format.JSON ? LogBatch.PayloadFormat.NDJSON : LogBatch.PayloadFormat.TEXT,
                    lines,
                    source.idempotencyKeys() ? source.sourceId() + "-request-" + requests : null);
            return new Pending(new Batch(batch, events, false), this);
        }

        /** Now and then, the same request again a few seconds later (a new batch id at the gateway). */
        Pending maybeRetry(Batch first) {
            if (first.batch().idempotencyKey() == null || r.nextInt(RETRY_ONE_IN) != 0) {
                return null;
            }
            LogBatch b = first.batch();
            LogBatch again = new LogBatch(
                    b.orgId(),
                    b.sourceId(),
                    batchId(),
                    b.receivedAtMillis() + 2_000 + r.nextInt(3_000),
                    b.format(),
                    b.lines(),
                    b.idempotencyKey());
            return new Pending(new Batch(again, first.events(), true), null);
        }

        private String batchId() {
            return new UUID(r.nextLong(), r.nextLong()).toString();
        }
    }
}
