package dev.logai.query;

import dev.logai.common.web.ApiProblem;
import java.time.Instant;

/** Parsing of the {@code since}/{@code until}/{@code limit} query parameters shared by list endpoints. */
public record TimeRange(Instant since, Instant until) {

    /**
     * Parses {@code since}/{@code until}: ISO-8601 instants ({@code 2024-05-01T10:00:00Z}) or epoch
     * milliseconds; blank or null is an open end.
     *
     * @throws ApiProblem 400 when a value is not an instant, or {@code since} is not before {@code until}
     */
    public static TimeRange parse(String since, String until) {
        TimeRange range = new TimeRange(instant("since", since), instant("until", until));
        if (range.since != null && range.until != null && !range.since.isBefore(range.until)) {
            throw ApiProblem.badRequest("'since' (" + range.since + ") must be before 'until' (" + range.until + ").");
        }
        return range;
    }

    /** The instants a query may name: those Postgres' {@code timestamptz} can hold, with margin (years 1 to 9999). */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant at;
        try {
            at = value.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochMilli(Long.parseLong(value))
                    : Instant.parse(value);
        } catch (java.time.DateTimeException | NumberFormatException e) {
            throw ApiProblem.badRequest("'" + name + "' must be an ISO-8601 instant such as 2024-05-01T10:00:00Z or"
                    + " epoch milliseconds; got '" + clip(value) + "'.");
        }
        if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
            throw ApiProblem.badRequest(
                    "'" + name + "' must be between " + EARLIEST + " and " + LATEST + "; got '" + clip(value) + "'.");
        }
        return at;
    }

    private static String clip(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    /**
     * The number of items to return: {@code requested}, or the default when null.
     *
     * @throws ApiProblem 400 when outside 1 to {@link QuerySettings#maxLimit()}
     */
    public static int limit(Integer requested, QuerySettings settings) {
        if (requested == null) {
            return settings.defaultLimit();
        }
        if (requested < 1 || requested > settings.maxLimit()) {
            throw ApiProblem.badRequest(
                    "'limit' must be between 1 and " + settings.maxLimit() + "; got " + requested + ".");
        }
        return requested;
    }
}
