package dev.logai.common.contract;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object keys of uploads: {@code org_id/source_id/yyyy/mm/dd/upload-<upload id>[.gz]} (the day the
 * URL was issued, UTC). A tenant's uploads sit under its own prefix, beside the raw archive, so
 * per-org lifecycle rules and deletes are one prefix each; the key names its upload, so a key alone
 * says which row it belongs to.
 */
public final class UploadKeys {
    private static final Pattern KEY = Pattern.compile(
            "([a-z]{2,8}_[a-z2-7]{1,40})/([a-z]{2,8}_[a-z2-7]{1,40})/(\\d{4})/(\\d{2})/(\\d{2})/upload-([a-z]{2,8}_[a-z2-7]{1,40})(\\.gz)?");

    private UploadKeys() {}

    /** A parsed upload key. */
    public record Parsed(String orgId, String sourceId, String uploadId, boolean gzip) {}

    /**
     * The key for {@code uploadId} of {@code orgId}/{@code sourceId}, issued at {@code issuedAt}.
     *
     * @param gzip adds {@code .gz}
     */
    public static String of(String orgId, String sourceId, String uploadId, Instant issuedAt, boolean gzip) {
        ZonedDateTime day = issuedAt.atZone(ZoneOffset.UTC);
        return String.format(
                "%s/%s/%04d/%02d/%02d/upload-%s%s",
                orgId, sourceId, day.getYear(), day.getMonthValue(), day.getDayOfMonth(), uploadId, gzip ? ".gz" : "");
    }

    /** The parts of {@code key}, or empty when it is not an upload key (any other layout, any length over 300). */
    public static Optional<Parsed> parse(String key) {
        if (key == null || key.length() > 300) {
            return Optional.empty();
        }
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(m.group(1), m.group(2), m.group(6), m.group(7) != null));
    }
}
