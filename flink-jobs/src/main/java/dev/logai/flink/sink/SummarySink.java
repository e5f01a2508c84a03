package dev.logai.flink.sink;

import dev.logai.flink.summary.Summary;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Upserts {@link Summary} rows by incident id. A refreshed summary replaces the content and adds
 * its cost and tokens to the incident's total (a replay after a restore is answered from the
 * cache at zero cost, so totals do not double); an extension only moves the end forward. Rows of a
 * source that no longer exists are skipped.
 */
public class SummarySink implements Sink<Summary> {
    private final PostgresSettings settings;

    public SummarySink(PostgresSettings settings) {
        this.settings = settings;
    }

    @Override
    public SinkWriter<Summary> createWriter(WriterInitContext context) throws IOException {
        return new Writer(settings, context.getProcessingTimeService());
    }

    static final class Writer extends BufferedPostgresWriter<Summary> {
        static final String UPSERT = "insert into summary (id, org_id, source_id, severity, title, bullets, llm_model,"
                + " cost_usd, window_start, window_end, windows, trigger, evidence, next_steps, prompt_version,"
                + " prompt_hash, partial, fallback_reason, tokens_in, tokens_out, cache_hit, model_reason)"
                + " select ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
                + " where exists (select 1 from source s where s.org_id = ? and s.id = ?)"
                + " on conflict (id) do update set severity = excluded.severity, title = excluded.title,"
                + " bullets = excluded.bullets, llm_model = excluded.llm_model,"
                + " cost_usd = summary.cost_usd + excluded.cost_usd,"
                + " window_start = least(summary.window_start, excluded.window_start),"
                + " window_end = greatest(summary.window_end, excluded.window_end),"
                + " windows = greatest(summary.windows, excluded.windows), trigger = excluded.trigger,"
                + " evidence = excluded.evidence, next_steps = excluded.next_steps,"
                + " prompt_version = excluded.prompt_version, prompt_hash = excluded.prompt_hash,"
                + " partial = excluded.partial, fallback_reason = excluded.fallback_reason,"
                + " tokens_in = summary.tokens_in + excluded.tokens_in,"
                + " tokens_out = summary.tokens_out + excluded.tokens_out, cache_hit = excluded.cache_hit,"
                + " model_reason = excluded.model_reason, updated_at = now()";
        static final String EXTEND = "update summary set window_end = greatest(window_end, ?),"
                + " windows = greatest(windows, ?), updated_at = now() where id = ? and org_id = ?";

        Writer(PostgresSettings settings, ProcessingTimeService timers) {
            super(settings, timers);
        }

        @Override
        String key(Summary s) {
            return s.extendOnly ? s.id + "/extend" : s.id;
        }

        @Override
        String orgOf(Summary s) {
            return s.orgId;
        }

        @Override
        String what() {
            return "summaries";
        }

        /** Two refreshes of one incident in one flush: the later content, both costs. */
        @Override
        Summary combine(Summary older, Summary newer) {
            if (!newer.extendOnly) {
                newer.costUsd += older.costUsd;
                newer.tokensIn += older.tokensIn;
                newer.tokensOut += older.tokensOut;
                newer.windowStart = Math.min(newer.windowStart, older.windowStart);
            }
            return newer;
        }

        @Override
        void writeOrg(Connection c, List<Summary> rows) throws SQLException {
            try (PreparedStatement upsert = c.prepareStatement(UPSERT);
                    PreparedStatement extend = c.prepareStatement(EXTEND)) {
                for (Summary s : rows) {
                    if (s.extendOnly) {
                        extend.setTimestamp(1, new Timestamp(s.windowEnd));
                        extend.setInt(2, s.windows);
                        extend.setString(3, s.id);
                        extend.setString(4, s.orgId);
                        extend.addBatch();
                        continue;
                    }
                    int i = 1;
                    upsert.setString(i++, s.id);
                    upsert.setString(i++, s.orgId);
                    upsert.setString(i++, s.sourceId);
                    upsert.setString(i++, s.severity);
                    upsert.setString(i++, s.title);
                    upsert.setArray(i++, c.createArrayOf("text", s.bullets));
                    upsert.setString(i++, s.llmModel);
                    upsert.setBigDecimal(i++, BigDecimal.valueOf(s.costUsd));
                    upsert.setTimestamp(i++, new Timestamp(s.windowStart));
                    upsert.setTimestamp(i++, new Timestamp(s.windowEnd));
                    upsert.setInt(i++, s.windows);
                    upsert.setString(i++, s.trigger);
                    upsert.setArray(i++, c.createArrayOf("text", s.evidence));
                    upsert.setArray(i++, c.createArrayOf("text", s.nextSteps));
                    upsert.setString(i++, s.promptVersion);
                    upsert.setString(i++, s.promptHash);
                    upsert.setBoolean(i++, s.partial);
                    upsert.setString(i++, s.fallbackReason);
                    upsert.setInt(i++, s.tokensIn);
                    upsert.setInt(i++, s.tokensOut);
                    upsert.setBoolean(i++, s.cacheHit);
                    upsert.setString(i++, s.modelReason);
                    upsert.setString(i++, s.orgId);
                    upsert.setString(i, s.sourceId);
                    upsert.addBatch();
                }
                // Upserts first: an extension in the same flush may follow its incident's first row.
                upsert.executeBatch();
                extend.executeBatch();
            }
        }
    }
}
