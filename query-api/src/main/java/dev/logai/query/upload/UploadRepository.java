package dev.logai.query.upload;

import dev.logai.query.ListQuery;
import dev.logai.query.OrgJdbc;
import dev.logai.query.SqlFilters;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Uploads of one org ({@code upload}, {@code chunk}) and their results, read under row-level security. */
@Repository
class UploadRepository {
    /** Chunks listed with one upload, by offset; {@code chunk_count} tells how many there are. */
    static final int MAX_CHUNKS = 1000;

    private static final String COLUMNS = "id, source_id, filename, object_key, size, hash, content_encoding,"
            + " status, bytes_read, line_count, truncated_lines, ts_start, ts_end, failure_reason, failure_offset,"
            + " created_at, expires_at, registered_at, started_at, finished_at";

    private final OrgJdbc db;

    UploadRepository(OrgJdbc db) {
        this.db = db;
    }

    /**
     * Uploads created in the query's range, newest first, at most {@code query.limit()}.
     *
     * @param status null: any status
     * @throws dev.logai.common.web.ApiProblem 404 when {@code query.sourceId()} is not the org's
     */
    List<UploadRow> list(String orgId, ListQuery query, String status) {
        SqlFilters where = new SqlFilters()
                .and("source_id = ?", query.sourceId())
                .and("status = ?", status)
                .and("created_at >= ?", query.range().since())
                .and("created_at < ?", query.range().until());
        return db.inOrgSource(
                orgId,
                query.sourceId(),
                jdbc -> jdbc.sql("select " + COLUMNS + " from upload" + where.sql()
                                + " order by created_at desc, id limit ?")
                        .params(where.paramsThen(query.limit()))
                        .query(UploadRepository::row)
                        .list());
    }

    /** The org's upload {@code id} with its chunks and results; empty when the org has none such. */
    Optional<UploadDetail> detail(String orgId, String id) {
        return db.inOrg(orgId, jdbc -> {
            Optional<UploadRow> upload = jdbc.sql("select " + COLUMNS + " from upload where id = ?")
                    .param(id)
                    .query(UploadRepository::row)
                    .optional();
            if (upload.isEmpty()) {
                return Optional.<UploadDetail>empty();
            }
            List<UploadDetail.Chunk> chunks = jdbc.sql("select id, \"offset\", length, ts_start, ts_end, line_count"
                            + " from chunk where upload_id = ? order by \"offset\" limit ?")
                    .params(id, MAX_CHUNKS)
                    .query((rs, n) -> new UploadDetail.Chunk(
                            rs.getString(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            instant(rs.getTimestamp(4)),
                            instant(rs.getTimestamp(5)),
                            rs.getLong(6)))
                    .list();
            long chunkCount = jdbc.sql("select count(*) from chunk where upload_id = ?")
                    .param(id)
                    .query(Long.class)
                    .single();
            return Optional.of(new UploadDetail(upload.get(), chunks, chunkCount, results(jdbc, upload.get())));
        });
    }

    private static UploadDetail.Results results(JdbcClient jdbc, UploadRow u) {
        if (u.tsStart() == null || u.tsEnd() == null) {
            return new UploadDetail.Results(0, 0, 0, 0, List.of());
        }
        Timestamp from = Timestamp.from(u.tsStart());
        Timestamp to = Timestamp.from(u.tsEnd());
        // Windows that hold any of the range: start at or before its end, end after its start.
        List<Long> windows = jdbc.sql("select count(*), count(*) filter (where is_final), coalesce(sum(line_count), 0)"
                        + " from window_stats where source_id = ? and window_start <= ? and window_end > ?")
                .params(u.sourceId(), to, from)
                .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .single();
        long anomalies = jdbc.sql("select count(*) from anomaly where source_id = ? and ts_window <= ?"
                        + " and coalesce(window_end, ts_window) >= ?")
                .params(u.sourceId(), to, from)
                .query(Long.class)
                .single();
        List<UploadDetail.SummaryTitle> summaries = jdbc.sql("select id, title, severity, window_start, window_end,"
                        + " llm_model from summary where source_id = ? and window_start <= ?"
                        + " and coalesce(window_end, window_start) >= ? order by window_start desc, id limit 20")
                .params(u.sourceId(), to, from)
                .query((rs, n) -> new UploadDetail.SummaryTitle(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5)),
                        rs.getString(6)))
                .list();
        return new UploadDetail.Results(windows.get(0), windows.get(1), windows.get(2), anomalies, summaries);
    }

    private static UploadRow row(ResultSet rs, int n) throws SQLException {
        long failureOffset = rs.getLong("failure_offset");
        return new UploadRow(
                rs.getString("id"),
                rs.getString("source_id"),
                rs.getString("filename"),
                rs.getString("object_key"),
                rs.getLong("size"),
                rs.getString("hash"),
                rs.getString("content_encoding"),
                rs.getString("status"),
                rs.getLong("bytes_read"),
                rs.getLong("line_count"),
                rs.getLong("truncated_lines"),
                instant(rs.getTimestamp("ts_start")),
                instant(rs.getTimestamp("ts_end")),
                rs.getString("failure_reason"),
                rs.wasNull() ? null : failureOffset,
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("expires_at")),
                instant(rs.getTimestamp("registered_at")),
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("finished_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
