package dev.logai.flink.sink;

import dev.logai.flink.template.TemplateMerge;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;

/**
 * Writes merges in the order they happened, per org (an unmerge, {@code intoId} null, deletes the
 * id's merge row: the template was created again and lives on its own): the live template's {@code pattern} row
 * (so it exists before its first window is written), the {@code pattern_merge} row, and then every
 * earlier merge into the old id is pointed at the new one, so chains stay one step long (A→B, then
 * B→C, leaves A→C and B→C). Rows of a source that no longer exists are skipped.
 */
class PatternMergeWriter extends BufferedPostgresWriter<TemplateMerge> {
    static final String UPSERT_MERGE = "insert into pattern_merge (org_id, source_id, from_id, into_id)"
            + " select ?, ?, ?, ? where exists (select 1 from source s where s.org_id = ? and s.id = ?)"
            + " on conflict (org_id, source_id, from_id) do update set into_id = excluded.into_id,"
            + " merged_at = now()";

    static final String UNMERGE = "delete from pattern_merge where org_id = ? and source_id = ? and from_id = ?";

    static final String FOLLOW_CHAIN =
            "update pattern_merge set into_id = ? where org_id = ? and source_id = ? and into_id = ?";

    PatternMergeWriter(PostgresSettings settings, ProcessingTimeService timers) {
        super(settings, timers);
    }

    @Override
    String key(TemplateMerge m) {
        return m.orgId + "/" + m.sourceId + "/" + m.fromId;
    }

    @Override
    String orgOf(TemplateMerge m) {
        return m.orgId;
    }

    @Override
    String what() {
        return "template merges";
    }

    @Override
    void writeOrg(Connection c, List<TemplateMerge> merges) throws SQLException {
        try (PreparedStatement pattern = c.prepareStatement(PatternWindowWriter.UPSERT_PATTERN);
                PreparedStatement merge = c.prepareStatement(UPSERT_MERGE);
                PreparedStatement chain = c.prepareStatement(FOLLOW_CHAIN);
                PreparedStatement unmerge = c.prepareStatement(UNMERGE)) {
            for (TemplateMerge m : merges) {
                if (m.intoId == null) {
                    unmerge.setString(1, m.orgId);
                    unmerge.setString(2, m.sourceId);
                    unmerge.setString(3, m.fromId);
                    unmerge.executeUpdate();
                    continue;
                }
                pattern.setString(1, m.orgId);
                pattern.setString(2, m.sourceId);
                pattern.setString(3, m.intoId);
                pattern.setString(4, m.intoText);
                pattern.setTimestamp(5, new Timestamp(m.firstTs));
                pattern.setTimestamp(6, new Timestamp(m.lastTs));
                pattern.setString(7, m.orgId);
                pattern.setString(8, m.sourceId);
                pattern.executeUpdate();
                merge.setString(1, m.orgId);
                merge.setString(2, m.sourceId);
                merge.setString(3, m.fromId);
                merge.setString(4, m.intoId);
                merge.setString(5, m.orgId);
                merge.setString(6, m.sourceId);
                merge.executeUpdate();
                chain.setString(1, m.intoId);
                chain.setString(2, m.orgId);
                chain.setString(3, m.sourceId);
                chain.setString(4, m.fromId);
                chain.executeUpdate();
            }
        }
    }
}
