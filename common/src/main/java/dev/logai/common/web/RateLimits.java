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
        ProxyManager<String> manager = buckets;
        return manager.builder()
                .build(key + "|" + capacity + "/" + refill + "/" + period.toMillis(), () -> config)
                .tryConsumeAndReturnRemaining(tokens);
    }

    /** Deletes up to {@code batch} idle buckets; returns how many. */
    public int removeExpired(int batch) {
        return buckets.removeExpired(batch);
    }
}
