package dev.logai.query;

/**
 * The validated {@code source_id}, {@code since}/{@code until} and {@code limit} of a list
 * endpoint ({@code GET /v1/<things>}).
 *
 * @param sourceId null: every source of the caller's org
 * @param range bounds of the endpoint's time column; either end may be open (null)
 * @param limit 1 to {@link QuerySettings#maxLimit()}, {@link QuerySettings#defaultLimit()} when not given
 */
public record ListQuery(String sourceId, TimeRange range, int limit) {

    /**
     * Validates the raw parameters.
     *
     * @throws dev.logai.common.web.ApiProblem 400 for a bad range or limit, 404 for a malformed source id
     */
    public static ListQuery of(String sourceId, String since, String until, Integer limit, QuerySettings settings) {
        TimeRange range = TimeRange.parse(since, until);
        int max = TimeRange.limit(limit, settings);
        SourceChecks.requireWellFormed(sourceId);
        return new ListQuery(sourceId, range, max);
    }
}
