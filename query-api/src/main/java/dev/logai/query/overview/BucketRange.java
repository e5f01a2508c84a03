package dev.logai.query.overview;

import dev.logai.common.web.ApiProblem;
import dev.logai.query.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A histogram's range and bucket width: {@code until} defaults to now, {@code since} to 24 hours
 * before it; the range is at most 90 days; the width is a whole number of minutes (windows are one
 * minute) that splits the range into at most {@code buckets} buckets.
 */
record BucketRange(Instant since, Instant until, long stepSeconds) {
    static final Duration MAX_RANGE = Duration.ofDays(90);
    static final int MAX_BUCKETS = 1000;

    static BucketRange of(TimeRange range, Integer buckets, Instant now) {
        int n = buckets == null ? 120 : buckets;
        if (n < 1 || n > MAX_BUCKETS) {
            throw ApiProblem.badRequest("'buckets' must be between 1 and " + MAX_BUCKETS + "; got " + n + ".");
        }
        Instant until = range.until() != null
                ? range.until()
                : now.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
        Instant since = range.since() != null ? range.since() : until.minus(Duration.ofHours(24));
        if (!since.isBefore(until)) {
            throw ApiProblem.badRequest("'since' (" + since + ") must be before 'until' (" + until + ").");
        }
        if (Duration.between(since, until).compareTo(MAX_RANGE) > 0) {
            throw ApiProblem.badRequest("The range may span at most 90 days; ask for a shorter one.");
        }
        long minutes = (Duration.between(since, until).toSeconds() + 59) / 60;
        long step = Math.max(1, (minutes + n - 1) / n) * 60;
        return new BucketRange(since, until, step);
    }
}
