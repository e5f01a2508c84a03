package dev.logai.query;

import dev.logai.common.tenancy.Ids;
import dev.logai.common.web.ApiProblem;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code source_id} of requests: malformed and foreign ids are the same 404. */
public final class SourceChecks {
    private SourceChecks() {}

    /** The 404 for a source the caller's org does not have. */
    public static ApiProblem unknown(String sourceId) {
        return ApiProblem.notFound("Unknown source", "Source '" + sourceId + "' does not exist in your org.");
    }

    /** Rejects (404) an id that cannot be a source id before any query runs; null passes. */
    public static void requireWellFormed(String sourceId) {
        if (sourceId != null && !Ids.looksLikeId(sourceId)) {
            throw unknown(sourceId);
        }
    }

    /** Whether the source exists in the client's org (row-level security hides other orgs'). */
    public static boolean exists(JdbcClient jdbc, String sourceId) {
        return jdbc.sql("select 1 from source where id = ?")
                        .param(sourceId)
                        .query()
                        .listOfRows()
                        .size()
                == 1;
    }
}
