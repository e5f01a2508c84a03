package dev.logai.query.summary;

import dev.logai.query.ListQuery;
import dev.logai.query.OrgJdbc;
import dev.logai.query.SqlFilters;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.springframework.stereotype.Repository;

/** Incident summaries of one org ({@code summary}), read under row-level security. */
@Repository
class SummaryRepository {
    private final OrgJdbc db;

    SummaryRepository(OrgJdbc db) {
        this.db = db;
    }

    /**
     * Summaries of incidents that overlap the query's range, newest first, at most
     * {@code query.limit()}. A summary without windows spans its creation instant.
     *
     * @throws dev.logai.common.web.ApiProblem 404 when {@code query.sourceId()} is not the org's
     */
    List<SummaryRow> list(String orgId, ListQuery query) {
        SqlFilters where = new SqlFilters()
                .and("source_id = ?", query.sourceId())
                .and("coalesce(window_end, created_at) > ?", query.range().since())
                .and("coalesce(window_start, created_at) < ?", query.range().until());
        return db.inOrgSource(
                orgId,
                query.sourceId(),
                jdbc -> jdbc.sql("select id, source_id,"
                                + " coalesce(window_start, created_at) as window_start, coalesce(window_end, created_at) as window_end,"
                                + " windows, trigger, severity, title, bullets, evidence, next_steps, llm_model, cost_usd, tokens_in,"
                                + " tokens_out, cache_hit, partial, fallback_reason, model_reason, prompt_version, created_at, updated_at"
                                + " from summary" + where.sql()
                                + " order by coalesce(window_start, created_at) desc, id limit ?")
                        .params(where.paramsThen(query.limit()))
                        .query(SummaryRepository::row)
                        .list());
    }

    static SummaryRow row(ResultSet rs, int n) throws SQLException {
        return new SummaryRow(
                rs.getString("id"),
                rs.getString("source_id"),
                rs.getTimestamp("window_start").toInstant(),
                rs.getTimestamp("window_end").toInstant(),
                rs.getInt("windows"),
                rs.getString("trigger"),
                rs.getString("severity"),
                rs.getString("title"),
                texts(rs.getArray("bullets")),
                texts(rs.getArray("evidence")),
                texts(rs.getArray("next_steps")),
                rs.getString("llm_model"),
                rs.getBigDecimal("cost_usd"),
                rs.getInt("tokens_in"),
                rs.getInt("tokens_out"),
                rs.getBoolean("cache_hit"),
                rs.getBoolean("partial"),
                rs.getString("fallback_reason"),
                rs.getString("model_reason"),
                rs.getString("prompt_version"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
