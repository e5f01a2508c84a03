package dev.logai.query.summary;

import dev.logai.query.OrgJdbc;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/** One summary of an org by id, under row-level security (another org's id is simply absent). */
@Repository
class SummaryLookup {
    private final OrgJdbc db;

    SummaryLookup(OrgJdbc db) {
        this.db = db;
    }

    Optional<SummaryRow> find(String orgId, String id) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql("select id, source_id,"
                                + " coalesce(window_start, created_at) as window_start, coalesce(window_end, created_at) as window_end,"
                                + " windows, trigger, severity, title, bullets, evidence, next_steps, llm_model, cost_usd, tokens_in,"
                                + " tokens_out, cache_hit, partial, fallback_reason, model_reason, prompt_version, created_at, updated_at"
                                + " from summary where id = ?")
                        .param(id)
                        .query(SummaryRepository::row)
                        .optional());
    }
}
