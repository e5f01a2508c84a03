package dev.logai.query;

import dev.logai.common.tenancy.Ids;
import dev.logai.common.web.ApiProblem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The {@code source_id} filter of list endpoints: malformed and foreign ids are the same 404. */
public final class SourceChecks {
    private SourceChecks() {}

    public static ApiProblem unknown(String sourceId) {
        return ApiProblem.notFound("Unknown source", "Source '" + sourceId + "' does not exist in your org.");
    }

    /** Rejects an id that cannot be a source id before any query runs. */
    public static void requireWellFormed(String sourceId) {
        if (sourceId != null && !Ids.looksLikeId(sourceId)) {
            throw unknown(sourceId);
        }
    }

    /** Whether the source exists in the connection's org (row-level security hides other orgs'). */
    public static boolean exists(Connection c, String sourceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from source where id = ?")) {
            ps.setString(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
