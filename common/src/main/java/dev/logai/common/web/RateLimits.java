package dev.logai.common.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Token buckets (Bucket4j) whose state lives in Postgres ({@code rate_limit_bucket}, one row per
 * bucket, locked with {@code SELECT … FOR UPDATE}), so every replica of every service draws from the
 * same bucket: two gateways in front of one org give it one limit, not two.
 *
 * <p>A bucket's key names its limit's size too, so a plan change starts a new bucket at once
 * instead of keeping the old size. Idle buckets expire once they would be full again and are
 * removed by {@link #removeExpired}.
 */
public class RateLimits {
    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    /**
     * Buckets this replica saw refuse, with when they can next serve: bucket key → (nano time,
     * tokens asked). Until then a request for as many tokens or more is refused here, without a
     * database round trip — exact, since other replicas can only take tokens, never add them — so a
     * tenant flooding past its limit costs the shared database (and other tenants) nothing.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, long[]> refusedUntil =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                    .maximumSize(100_000)
                    .expireAfterWrite(Duration.ofMinutes(1))
                    .build();

    public RateLimits(DataSource dataSource) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_bucket")
                .idColumn("id")
                .stateColumn("state")
                .expiresAtColumn("expires_at")
                .expirationAfterWrite(
                        ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
    }

    /**
     * Takes {@code tokens} from the bucket {@code key} of {@code capacity} tokens refilled greedily
     * at {@code refill} tokens per {@code period}; a new bucket starts full.
     *
     * @return consumed or not, the tokens left and, when refused, the nanoseconds until enough are back
     * @throws RuntimeException (Bucket4j's or the JDBC driver's) when Postgres cannot be reached
     */
    public ConsumptionProbe tryConsume(String key, long tokens, long capacity, long refill, Duration period) {
        BucketConfiguration config = BucketConfiguration.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(capacity)
                        .refillGreedy(refill, period)
                        .build())
                .build();
        String bucket = key + "|" + capacity + "/" + refill + "/" + period.toMillis();
        long now = System.nanoTime();
        long[] refused = refusedUntil.getIfPresent(bucket);
        if (refused != null && refused[0] - now > 0 && tokens >= refused[1]) {
            return ConsumptionProbe.rejected(0, refused[0] - now, refused[0] - now);
        }
        ProxyManager<String> manager = buckets;
        ConsumptionProbe probe = manager.builder().build(bucket, () -> config).tryConsumeAndReturnRemaining(tokens);
        if (probe.isConsumed()) {
            refusedUntil.invalidate(bucket);
        } else {
            refusedUntil.put(bucket, new long[] {now + probe.getNanosToWaitForRefill(), tokens});
        }
        return probe;
    }

    /** Deletes up to {@code batch} idle buckets; returns how many. */
    public int removeExpired(int batch) {
        return buckets.removeExpired(batch);
    }
}
