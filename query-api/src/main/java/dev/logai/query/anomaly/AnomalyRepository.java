package dev.logai.query.anomaly;

import dev.logai.query.ListQuery;
import dev.logai.query.OrgJdbc;
import dev.logai.query.SqlFilters;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Explained anomalies of one org ({@code anomaly}), read under row-level security. */
@Repository
class AnomalyRepository {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OrgJdbc db;

    AnomalyRepository(OrgJdbc db) {
        this.db = db;
    }

    /**
     * Anomalies whose window starts in the query's range: newest window first, highest score first
     * within a window, at most {@code query.limit()}.
     *
     * @throws dev.logai.common.web.ApiProblem 404 when {@code query.sourceId()} is not the org's
     */
    List<AnomalyRow> list(String orgId, ListQuery query) {
        SqlFilters where = new SqlFilters()
                .and("source_id = ?", query.sourceId())
                .and("ts_window >= ?", query.range().since())
                .and("ts_window < ?", query.range().until());
        return db.inOrgSource(
                orgId,
                query.sourceId(),
                jdbc -> jdbc.sql("select id, source_id, ts_window, window_end,"
                                + " metric, service, template_id, observed, baseline, zscore, score, label,"
                                + " explanation::text as explanation, coalesce(onset, ts_window) as onset from anomaly"
                                + where.sql()
                                + " order by ts_window desc, score desc, id limit ?")
                        .params(where.paramsThen(query.limit()))
                        .query(AnomalyRepository::row)
                        .list());
    }

    private static AnomalyRow row(ResultSet rs, int n) throws SQLException {
        double z = rs.getDouble("zscore");
        Double zscore = rs.wasNull() ? null : z;
        Timestamp end = rs.getTimestamp("window_end");
        return new AnomalyRow(
                rs.getString("id"),
                rs.getString("source_id"),
                rs.getTimestamp("ts_window").toInstant(),
                end == null ? null : end.toInstant(),
                rs.getString("metric"),
                rs.getString("service"),
                rs.getString("template_id"),
                rs.getDouble("observed"),
                rs.getDouble("baseline"),
                zscore,
                rs.getDouble("score"),
                rs.getString("label"),
                JSON.readTree(rs.getString("explanation")),
                rs.getTimestamp("onset").toInstant());
    }
}
