package dev.logai.query;

import dev.logai.common.web.ApiProblem;
import java.time.Instant;
import java.time.format.DateTimeParseException;

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

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.chars().allMatch(Character::isDigit)) {
                return Instant.ofEpochMilli(Long.parseLong(value));
            }
            return Instant.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiProblem.badRequest("'" + name + "' must be an ISO-8601 instant such as 2024-05-01T10:00:00Z or"
                    + " epoch milliseconds; got '" + value + "'.");
        }
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
