package dev.logai.common.plan;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one plan allows an org (seed spec §7, §9, §10), after the deployment's settings and the
 * org's own overrides were applied ({@link PlanCatalog#limits}).
 *
 * @param plan the plan id ({@code org.plan}: {@code free}, {@code starter}, {@code team})
 * @param name the plan's display name
 * @param bytesPerMonth log bytes an org may send per calendar month (UTC); bytes as LogAi stores
 *     them: streamed bodies after decompression, uploaded files as stored
 * @param maxSources sources the org may have
 * @param retentionDays days raw archives, uploads and derived rows are kept
 * @param ingestBytesPerSecond sustained ingest rate per org (token bucket refill), bytes/s
 * @param ingestBurstBytes the ingest bucket's size: the most bytes accepted at once after a quiet spell
 * @param requestsPerMinute requests per credential (API key or person) per endpoint per minute
 * @param summariesInFlight LLM summaries of one org in flight at once per pipeline task (fair sharing)
 * @param concurrentUploads uploads of one org the pipeline reads at the same time
 * @param aiBudgetUsd the default monthly AI budget in USD (an org's own budget wins)
 */
public record PlanLimits(
        String plan,
        String name,
        long bytesPerMonth,
        int maxSources,
        int retentionDays,
        long ingestBytesPerSecond,
        long ingestBurstBytes,
        int requestsPerMinute,
        int summariesInFlight,
        int concurrentUploads,
        BigDecimal aiBudgetUsd) {

    /** The settable limits by their setting name, as {@code LOGAI_PLANS} and org overrides spell them. */
    public Map<String, Object> asSettings() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bytes_per_month", bytesPerMonth);
        out.put("max_sources", maxSources);
        out.put("retention_days", retentionDays);
        out.put("ingest_bytes_per_second", ingestBytesPerSecond);
        out.put("ingest_burst_bytes", ingestBurstBytes);
        out.put("requests_per_minute", requestsPerMinute);
        out.put("summaries_in_flight", summariesInFlight);
        out.put("concurrent_uploads", concurrentUploads);
        out.put("ai_budget_usd", aiBudgetUsd);
        return out;
    }

    /**
     * A copy with one limit changed.
     *
     * @param setting a key of {@link #asSettings()}
     * @param value a non-negative whole number (a decimal for {@code ai_budget_usd}); byte limits
     *     also take the units {@code KB MB GB TB} (powers of 1000) and {@code KiB MiB GiB TiB}
     * @throws IllegalArgumentException for an unknown setting or a value it cannot take
     */
    public PlanLimits with(String setting, String value) {
        String v = value.strip();
        return switch (setting) {
            case "bytes_per_month" ->
                copy(
                        bytes(setting, v),
                        maxSources,
                        retentionDays,
                        ingestBytesPerSecond,
                        ingestBurstBytes,
                        requestsPerMinute,
                        summariesInFlight,
                        concurrentUploads,
                        aiBudgetUsd);
            case "max_sources" ->
                copy(
                        bytesPerMonth,
                        count(setting, v),
                        retentionDays,
                        ingestBytesPerSecond,
                        ingestBurstBytes,
                        requestsPerMinute,
                        summariesInFlight,
                        concurrentUploads,
                        aiBudgetUsd);
            case "retention_days" ->
                copy(
                        bytesPerMonth,
                        maxSources,
                        positive(setting, v),
                        ingestBytesPerSecond,
                        ingestBurstBytes,
                        requestsPerMinute,
                        summariesInFlight,
                        concurrentUploads,
                        aiBudgetUsd);
            case "ingest_bytes_per_second" ->
                copy(
                        bytesPerMonth,
                        maxSources,
                        retentionDays,
                        bytes(setting, v),
                        ingestBurstBytes,
                        requestsPerMinute,
                        summariesInFlight,
                        concurrentUploads,
                        aiBudgetUsd);
            case "ingest_burst_bytes" ->
                copy(
                        bytesPerMonth,
                        maxSources,
                        retentionDays,
                        ingestBytesPerSecond,
                        bytes(setting, v),
                        requestsPerMinute,
                        summariesInFlight,
                        concurrentUploads,
                        aiBudgetUsd);
            case "requests_per_minute" ->
                copy(
                        bytesPerMonth,
                        maxSources,
                        retentionDays,
                        ingestBytesPerSecond,
                        ingestBurstBytes,
                        positive(setting, v),
                        summariesInFlight,
                        concurrentUploads,
                        aiBudgetUsd);
            case "summaries_in_flight" ->
                copy(
                        bytesPerMonth,
                        maxSources,
                        retentionDays,
                        ingestBytesPerSecond,
                        ingestBurstBytes,
                        requestsPerMinute,
                        positive(setting, v),
                        concurrentUploads,
                        aiBudgetUsd);
            case "concurrent_uploads" ->
                copy(
                        bytesPerMonth,
                        maxSources,
                        retentionDays,
                        ingestBytesPerSecond,
                        ingestBurstBytes,
                        requestsPerMinute,
                        summariesInFlight,
                        positive(setting, v),
                        aiBudgetUsd);
            case "ai_budget_usd" ->
                copy(
                        bytesPerMonth,
                        maxSources,
                        retentionDays,
                        ingestBytesPerSecond,
                        ingestBurstBytes,
                        requestsPerMinute,
                        summariesInFlight,
                        concurrentUploads,
                        usd(setting, v));
            default ->
                throw new IllegalArgumentException("'" + setting + "' is not a plan limit (known: "
                        + String.join(", ", asSettings().keySet()) + ")");
        };
    }

    private PlanLimits copy(
            long bytesPerMonth,
            int maxSources,
            int retentionDays,
            long rate,
            long burst,
            int rpm,
            int summaries,
            int uploads,
            BigDecimal ai) {
        return new PlanLimits(
                plan, name, bytesPerMonth, maxSources, retentionDays, rate, burst, rpm, summaries, uploads, ai);
    }

    /** {@code 50MB}, {@code 5GiB}, {@code 1048576}: a byte count (KB/MB/GB/TB are powers of 1000). */
    static long bytes(String setting, String v) {
        String s = v.replace("_", "").strip();
        String digits = s.replaceAll("[A-Za-z]+$", "").strip();
        String unit = s.substring(digits.length()).strip().toUpperCase(java.util.Locale.ROOT);
        long factor = switch (unit) {
            case "", "B" -> 1L;
            case "KB" -> 1000L;
            case "MB" -> 1000L * 1000;
            case "GB" -> 1000L * 1000 * 1000;
            case "TB" -> 1000L * 1000 * 1000 * 1000;
            case "KIB" -> 1L << 10;
            case "MIB" -> 1L << 20;
            case "GIB" -> 1L << 30;
            case "TIB" -> 1L << 40;
            default ->
                throw new IllegalArgumentException("'" + setting + "=" + v + "': unknown unit '" + unit
                        + "' (use KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
        };
        try {
            long n = Long.parseLong(digits);
            if (n < 0) throw new NumberFormatException();
            return Math.multiplyExact(n, factor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + setting + "=" + v + "' is not a non-negative byte count");
        }
    }

    private static long positiveBytes(String setting, String v) {
        long n = bytes(setting, v);
        if (n == 0) {
            throw new IllegalArgumentException("'" + setting + "=" + v + "' must be at least 1 byte");
        }
        return n;
    }

    private static int count(String setting, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + setting + "=" + v + "' is not a non-negative whole number");
        }
    }

    private static int positive(String setting, String v) {
        int n = count(setting, v);
        if (n == 0) {
            throw new IllegalArgumentException("'" + setting + "=" + v + "' must be at least 1");
        }
        return n;
    }

    private static BigDecimal usd(String setting, String v) {
        try {
            BigDecimal usd = new BigDecimal(v);
            if (usd.signum() < 0) throw new NumberFormatException();
            return usd;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + setting + "=" + v + "' is not a non-negative USD amount");
        }
    }
}
