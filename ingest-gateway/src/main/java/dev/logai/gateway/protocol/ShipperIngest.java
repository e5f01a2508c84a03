package dev.logai.gateway.protocol;

import dev.logai.common.contract.IdempotencyKeys;
import dev.logai.common.contract.LogBatch;
import dev.logai.common.contract.LogBatchWriter;
import dev.logai.common.contract.RecordKeys;
import dev.logai.common.plan.OrgPlans;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiProblem;
import dev.logai.gateway.GatewaySettings;
import dev.logai.gateway.ingest.BatchPublisher;
import dev.logai.gateway.ingest.IngestAdmission;
import dev.logai.gateway.ingest.LineFramer;
import dev.logai.gateway.plan.UsageMeter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The durable write every shipper protocol ends in, the same as {@code POST /v1/logs/stream}'s: the
 * lines of one request, grouped by source ({@link SourceRouter}), are held against the gateway's
 * memory budget ({@link IngestAdmission}), checked against the org's ingest rate and charged to its
 * monthly quota ({@link UsageMeter}, all groups or none), then written as one Kafka record per source
 * ({@link BatchPublisher}, acks=all); the protocol answers 2xx only for groups Kafka acknowledged.
 *
 * <p>Retries: a group carries an idempotency key, so the pipeline drops a retried group that was
 * already written — the SHA-256 of the group's lines, combined with the client's {@code
 * Idempotency-Key} header when it sent one; without the header only when every line carried its own
 * timestamp (then two equal groups are the same events sent twice). Lines without timestamps and
 * without the header (syslog, HEC raw) are never deduplicated: two equal heartbeats are two events.
 *
 * <p>Use: {@link #open}, {@link Request#add} each line, {@link #commit}, close the request.
 */
@Component
public class ShipperIngest {
    private static final Logger LOG = LoggerFactory.getLogger(ShipperIngest.class);

    private final SourceRouter router;
    private final IngestAdmission admission;
    private final UsageMeter meter;
    private final OrgPlans plans;
    private final BatchPublisher publisher;
    private final int maxLineBytes;
    private final long maxBodyBytes;

    ShipperIngest(
            SourceRouter router,
            IngestAdmission admission,
            UsageMeter meter,
            OrgPlans plans,
            BatchPublisher publisher,
            GatewaySettings settings) {
        this.router = router;
        this.admission = admission;
        this.meter = meter;
        this.plans = plans;
        this.publisher = publisher;
        this.maxLineBytes = settings.ingest().maxLineBytes();
        this.maxBodyBytes = settings.ingest().maxBodyBytes();
    }

    /** Longest line kept whole; longer lines are cut at a UTF-8 boundary and flagged truncated. */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** Largest body a protocol endpoint reads, before and after decompression. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Starts one request of {@code caller}.
     *
     * @param protocol the protocol's default source name, used for lines without a source label
     * @param idempotencyKey the client's {@code Idempotency-Key} header, or null
     */
    public Request open(ApiPrincipal caller, String protocol, String idempotencyKey) {
        // Who may ingest at all is answered once, before anything is read: a key without the ingest
        // scope gets 403 for the request, not a refusal per record.
        dev.logai.gateway.auth.IngestAccess.require(
                caller, caller.restrictedToSourceId() != null ? caller.restrictedToSourceId() : "");
        if (idempotencyKey != null && !IdempotencyKeys.isValid(idempotencyKey)) {
            throw new ApiProblem(400, "Invalid Idempotency-Key", IdempotencyKeys.RULE + " Nothing was accepted.");
        }
        return new Request(caller, protocol, idempotencyKey);
    }

    /** Most distinct source labels one request may carry: more is refused whole (400). */
    public static final int MAX_LABELS_PER_REQUEST = 100;

    /** Most records (log records, entries, bulk items, events) one request may carry: more is 413. */
    public static final int MAX_RECORDS_PER_REQUEST = 200_000;

    /** Heap a parsed record costs beyond its bytes (objects, attribute maps), held before parsing. */
    public static final int BYTES_PER_PARSED_RECORD = 320;

    /** One source's lines within a request. */
    public static final class Group {
        final SourceRouter.Route route;
        final LogBatch.PayloadFormat format;
        final ByteArrayOutputStream framed = new ByteArrayOutputStream();
        final MessageDigest digest;
        int lines;
        long bytes;
        boolean allTimestamped = true;
        final List<Integer> items = new ArrayList<>();

        private Group(SourceRouter.Route route, LogBatch.PayloadFormat format) {
            this.route = route;
            this.format = format;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The source these lines go to. */
        public String sourceId() {
            return route.sourceId();
        }
    }

    /** What happened to one group at commit. */
    public record GroupOutcome(String sourceId, int lines, List<Integer> items, ApiProblem failure) {
        public boolean accepted() {
            return failure == null;
        }
    }

    /**
     * A committed request.
     *
     * @param lines lines Kafka acknowledged
     * @param groups each source's outcome, in the order the sources first appeared
     * @param quotaHeaders the quota headers of the org after the charge (empty when nothing was charged)
     */
    public record Result(int lines, List<GroupOutcome> groups, Map<String, String> quotaHeaders) {
        /** The first failure, or null when every group was written. */
        public ApiProblem firstFailure() {
            return groups.stream()
                    .map(GroupOutcome::failure)
                    .filter(f -> f != null)
                    .findFirst()
                    .orElse(null);
        }
    }

    /** The lines of one request being gathered; close it to give its memory back. */
    public final class Request implements AutoCloseable {
        private final ApiPrincipal caller;
        private final String protocol;
        private final String idempotencyKey;
        private final IngestAdmission.Reservation reservation;
        private final Map<String, Group> groups = new LinkedHashMap<>();
        /** label → its route, or the refusal it got (asked once per request). */
        private final Map<String, Object> routes = new java.util.HashMap<>();

        private long bytes;

        private Request(ApiPrincipal caller, String protocol, String idempotencyKey) {
            this.caller = caller;
            this.protocol = protocol;
            this.idempotencyKey = idempotencyKey;
            this.reservation = admission.open(caller.orgId(), caller.keyId());
        }

        /** Holds {@code bytes} of parsed input against the memory budget (429/503/413 as the stream path). */
        public void hold(long bytes) {
            reservation.reserve(bytes);
        }

        /** Gives back {@code bytes} held with {@link #hold}. */
        public void free(long bytes) {
            reservation.released(bytes);
        }

        /**
         * The group for lines labelled {@code label} ({@link SourceRouter}) in {@code format}.
         *
         * @throws ApiProblem as {@link SourceRouter#route}
         */
        public Group group(String label, LogBatch.PayloadFormat format) {
            String routeKey = label == null ? "" : label;
            Object known = routes.get(routeKey);
            if (known instanceof ApiProblem refused) {
                throw refused; // asked once per request: a refused label costs no more lookups
            }
            SourceRouter.Route route = (SourceRouter.Route) known;
            if (route == null) {
                if (routes.size() >= MAX_LABELS_PER_REQUEST) {
                    throw new ApiProblem(
                            400,
                            "Too many sources in one request",
                            "This request labels its records with more than " + MAX_LABELS_PER_REQUEST
                                    + " different sources; nothing was accepted. Send each service's logs in"
                                    + " its own batches.");
                }
                try {
                    route = router.route(caller, label, protocol);
                } catch (ApiProblem p) {
                    routes.put(routeKey, p);
                    throw p;
                }
                routes.put(routeKey, route);
            }
            String key = route.sourceId() + "/" + format;
            Group group = groups.get(key);
            if (group == null) {
                group = new Group(route, format);
                groups.put(key, group);
            }
            return group;
        }

        /**
         * Adds one line (UTF-8, without its line end) to {@code group}; a line over the line limit is
         * cut and flagged, blank lines are skipped.
         *
         * @param timestamped whether the line carries its own event time (see class comment)
         * @param item the protocol's item number of the line (bulk item, HEC event), for the answer
         */
        public void add(Group group, byte[] line, int offset, int length, boolean timestamped, int item) {
            boolean cut = length > maxLineBytes;
            if (cut) {
                byte[] head = java.util.Arrays.copyOfRange(line, offset, offset + maxLineBytes);
                length = LineFramer.utf8Boundary(head, maxLineBytes);
                line = head;
                offset = 0;
            }
            if (length == 0) {
                return;
            }
            // the framed copy (a growing array: up to twice its size) until the record is encoded
            reservation.reserve(2 * (length + 5L));
            group.framed.write(cut ? 1 : 0);
            group.framed.write(length >>> 24);
            group.framed.write(length >>> 16);
            group.framed.write(length >>> 8);
            group.framed.write(length);
            group.framed.write(line, offset, length);
            group.digest.update(line, offset, length);
            group.digest.update((byte) '\n');
            group.lines++;
            group.bytes += length + 1;
            group.allTimestamped &= timestamped;
            if (group.items.isEmpty() || group.items.get(group.items.size() - 1) != item) {
                group.items.add(item);
            }
            bytes += length + 1;
        }

        /** Adds {@code line} (a string) as {@link #add(Group, byte[], int, int, boolean, int)}. */
        public void add(Group group, String line, boolean timestamped, int item) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            add(group, b, 0, b.length, timestamped, item);
        }

        /** Lines gathered so far. */
        public int lineCount() {
            return groups.values().stream().mapToInt(g -> g.lines).sum();
        }

        /** Bytes of lines gathered so far (each line plus its line end): what the quota counts. */
        public long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            reservation.close();
        }
    }

    /**
     * Charges and writes {@code request}'s groups.
     *
     * @param wireBytes bytes received for the whole request (shared out over the groups by size)
     * @return each group's outcome; a group Kafka did not acknowledge is refunded and carries its
     *     problem (503 with Retry-After, or 413 for a record over Kafka's size limit)
     * @throws ApiProblem before anything is written: 429 for the org's ingest rate or monthly quota
     *     (no group charged), 401 when the org is gone, 503 when Postgres is unreachable
     */
    public Result commit(Request request, long wireBytes) {
        List<Group> groups = new ArrayList<>(request.groups.values());
        groups.removeIf(g -> g.lines == 0);
        String orgId = request.caller.orgId();
        if (groups.isEmpty()) {
            UsageMeter.Quota quota = meter.quota(orgId);
            return new Result(0, List.of(), UsageMeter.quotaHeaders(quota.plan(), quota.usedBytes(), quota.resetsAt()));
        }
        // Every record is encoded before anything is charged or sent: encoding reserves gateway
        // memory and may wait for it, and its 429 or 503 must leave nothing sent and nothing
        // charged (the caller's close() gives the memory back).
        List<byte[]> records = new ArrayList<>();
        for (Group g : groups) {
            records.add(encode(request, g));
        }
        meter.takeIngestRate(orgId, plans, request.bytes);
        List<UsageMeter.Charge> charges = new ArrayList<>();
        try {
            for (Group g : groups) {
                long wire = request.bytes == 0 ? 0 : Math.round((double) wireBytes * g.bytes / request.bytes);
                charges.add(meter.charge(orgId, g.sourceId(), groupKey(request, g), g.bytes, wire, g.lines, 0));
            }
        } catch (RuntimeException e) {
            charges.forEach(meter::refund);
            throw e;
        }
        // Every record is started before any is awaited: the sources' batches travel together.
        List<Object> sends = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            byte[] record = records.get(i);
            try {
                sends.add(publisher.send(RecordKeys.of(orgId, g.sourceId()), record, g.route.parserHint()));
            } catch (BatchPublisher.KafkaUnavailableException | BatchPublisher.BatchTooLargeException e) {
                sends.add(e);
            }
        }
        List<GroupOutcome> outcomes = new ArrayList<>();
        int written = 0;
        UsageMeter.Charge last = charges.get(charges.size() - 1);
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            ApiProblem failure = null;
            try {
                if (sends.get(i) instanceof Exception e) {
                    throw e;
                }
                @SuppressWarnings("unchecked")
                Future<RecordMetadata> ack = (Future<RecordMetadata>) sends.get(i);
                publisher.await(ack, started, records.get(i).length);
                written += g.lines;
            } catch (BatchPublisher.BatchTooLargeException e) {
                LOG.warn("Batch too large for Kafka for org {} source {}: {}", orgId, g.sourceId(), e.getMessage());
                failure = new ApiProblem(
                        413,
                        "Batch too large",
                        "These " + g.lines + " lines are too large to store as one batch; nothing of them was"
                                + " accepted. Send smaller batches.");
            } catch (Exception e) {
                LOG.warn("Kafka unavailable for org {} source {}: {}", orgId, g.sourceId(), e.getMessage());
                failure = new ApiProblem(
                                503,
                                "Ingest temporarily unavailable",
                                "The lines could not be stored right now; they were not accepted. Retry after the"
                                        + " Retry-After delay.")
                        .retryAfterSeconds(5);
            }
            if (failure != null) {
                meter.refund(charges.get(i));
            }
            outcomes.add(new GroupOutcome(g.sourceId(), g.lines, List.copyOf(g.items), failure));
        }
        return new Result(written, outcomes, last.headers());
    }

    private byte[] encode(Request request, Group g) {
        LogBatchWriter batch = new LogBatchWriter(
                request.caller.orgId(),
                g.sourceId(),
                UUID.randomUUID().toString(),
                System.currentTimeMillis(),
                g.format,
                groupKey(request, g),
                request.reservation);
        byte[] framed = g.framed.toByteArray();
        int at = 0;
        while (at < framed.length) {
            boolean cut = framed[at] == 1;
            int length = ((framed[at + 1] & 0xFF) << 24)
                    | ((framed[at + 2] & 0xFF) << 16)
                    | ((framed[at + 3] & 0xFF) << 8)
                    | (framed[at + 4] & 0xFF);
            batch.line(framed, at + 5, length, cut);
            at += 5 + length;
        }
        return batch.finish();
    }

    /**
     * The group's idempotency key: from the client's header (one per source, as the pipeline
     * remembers keys per source), else from its content when every line was timestamped, else none.
     */
    private static String groupKey(Request request, Group g) {
        if (request.idempotencyKey == null && !g.allTimestamped) {
            return null;
        }
        MessageDigest copy;
        try {
            copy = (MessageDigest) g.digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        String content = HexFormat.of().formatHex(copy.digest(), 0, 16);
        if (request.idempotencyKey != null) {
            // The header and the content together: a shipper configured with one static header
            // value still has every new batch counted, while its retry of a batch is dropped.
            return "h:"
                    + sha256(request.idempotencyKey + "/" + g.sourceId() + "/" + content)
                            .substring(0, 32);
        }
        return request.protocol + ":" + content;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
