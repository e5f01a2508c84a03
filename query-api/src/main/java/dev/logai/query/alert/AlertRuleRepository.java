package dev.logai.query.alert;

import dev.logai.common.contract.alert.AlertChannels;
import dev.logai.common.contract.alert.AlertCondition;
import dev.logai.common.contract.alert.AlertRuleCodec;
import dev.logai.common.contract.alert.AlertRuleSpec;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.OrgJdbc;
import dev.logai.query.SourceChecks;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * An org's alert rules ({@code alert_rule}). Every change runs in one org-scoped transaction that
 * also hands the rule's new state to a {@link Publication} (the rules topic) before it commits: if
 * publishing fails, nothing is stored.
 */
@Repository
class AlertRuleRepository {
    /** First key of the advisory lock that serialises one org's rule creates (the second is the org's hash). */
    private static final int RULE_LIMIT_LOCK_CLASS = 0x4c520001;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "id, name, source_id, condition_json::text as condition_json,"
            + " channels_json::text as channels_json, page_max_age_minutes, is_active, version, created_at, updated_at,"
            + " signing_secret";

    private final OrgJdbc db;

    AlertRuleRepository(OrgJdbc db) {
        this.db = db;
    }

    /** Receives each change inside its transaction; throwing rolls the change back. */
    @FunctionalInterface
    interface Publication {
        /** @param rule the rule's new state; null: deleted */
        void publish(String ruleId, AlertRuleSpec rule);
    }

    /**
     * A new rule (validated through {@link AlertRuleCodec}).
     *
     * @param sourceId null: every source of the org
     * @param pageMaxAge null: page for data of any age ({@code "off"})
     */
    record NewRule(
            String name,
            String sourceId,
            AlertCondition condition,
            AlertChannels channels,
            Duration pageMaxAge,
            boolean active,
            String signingSecret) {}

    /**
     * A change; null fields stay as they are.
     *
     * @param pageMaxAge null: unchanged; empty: page for data of any age ({@code "off"})
     */
    record RuleChange(
            String name,
            String sourceId,
            AlertCondition condition,
            AlertChannels channels,
            Optional<Duration> pageMaxAge,
            Boolean active) {}

    /** The org's rules, oldest first. */
    List<AlertRule> list(String orgId) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql("select " + COLUMNS + " from alert_rule order by created_at, id")
                        .query(AlertRuleRepository::row)
                        .list());
    }

    /** The rule, or empty when the org has no such rule (another org's included). */
    Optional<AlertRule> find(String orgId, String ruleId) {
        return db.inOrg(orgId, jdbc -> find(jdbc, ruleId));
    }

    /**
     * Stores a new rule at version 1 and publishes it.
     *
     * @return the stored rule (without its secret)
     * @throws ApiProblem 404 when the source is not the org's, 403 when the org has {@code maxRules}
     */
    AlertRule create(String orgId, NewRule rule, int maxRules, Publication publication) {
        String id = Ids.newId("rule");
        return db.inOrg(orgId, jdbc -> {
            requireSource(jdbc, rule.sourceId());
            // Count-then-insert is only atomic under a lock: without it, parallel creates at the
            // limit all count below it. A transaction-scoped advisory lock per org serialises the
            // org's creates (other orgs are not held up) and is released at commit or rollback.
            jdbc.sql("select 1 from (select pg_advisory_xact_lock(:lockClass, hashtext(:org))) locked")
                    .param("lockClass", RULE_LIMIT_LOCK_CLASS)
                    .param("org", orgId)
                    .query(Integer.class)
                    .single();
            if (jdbc.sql("select count(*) from alert_rule").query(Long.class).single() >= maxRules) {
                throw new ApiProblem(
                        403,
                        "Rule limit reached",
                        "An org can have at most " + maxRules + " alert rules; delete unused ones first.");
            }
            jdbc.sql("insert into alert_rule (id, org_id, source_id, name, condition_json, channels_json,"
                            + " page_max_age_minutes, is_active, signing_secret) values (:id, :org, :source, :name,"
                            + " :condition::jsonb, :channels::jsonb, :age, :active, :secret)")
                    .param("id", id)
                    .param("org", orgId)
                    .param("source", rule.sourceId(), Types.VARCHAR)
                    .param("name", rule.name())
                    .param("condition", json(rule.condition()))
                    .param("channels", json(rule.channels()))
                    .param("age", minutes(rule.pageMaxAge()), Types.INTEGER)
                    .param("active", rule.active())
                    .param("secret", rule.signingSecret())
                    .update();
            publication.publish(id, spec(jdbc, id));
            return find(jdbc, id).orElseThrow();
        });
    }

    /**
     * Applies a change, bumps the version and publishes the rule.
     *
     * @return the changed rule, or empty when the org has no such rule
     * @throws ApiProblem 404 when the new source is not the org's
     */
    Optional<AlertRule> update(String orgId, String ruleId, RuleChange change, Publication publication) {
        return db.inOrg(orgId, jdbc -> {
            if (find(jdbc, ruleId).isEmpty()) {
                return Optional.empty();
            }
            requireSource(jdbc, change.sourceId());
            jdbc.sql("update alert_rule set name = coalesce(:name, name), source_id = coalesce(:source, source_id),"
                            + " condition_json = coalesce(:condition::jsonb, condition_json),"
                            + " channels_json = coalesce(:channels::jsonb, channels_json),"
                            + " page_max_age_minutes = case when :setAge then :age else page_max_age_minutes end,"
                            + " is_active = coalesce(:active, is_active), version = version + 1, updated_at = now()"
                            + " where id = :id")
                    .param("name", change.name(), Types.VARCHAR)
                    .param("source", change.sourceId(), Types.VARCHAR)
                    .param("condition", change.condition() == null ? null : json(change.condition()), Types.VARCHAR)
                    .param("channels", change.channels() == null ? null : json(change.channels()), Types.VARCHAR)
                    .param("setAge", change.pageMaxAge() != null)
                    .param(
                            "age",
                            change.pageMaxAge() == null
                                    ? null
                                    : minutes(change.pageMaxAge().orElse(null)),
                            Types.INTEGER)
                    .param("active", change.active(), Types.BOOLEAN)
                    .param("id", ruleId)
                    .update();
            publication.publish(ruleId, spec(jdbc, ruleId));
            return find(jdbc, ruleId);
        });
    }

    /** Deletes the rule and publishes a tombstone; false when the org has no such rule. */
    boolean delete(String orgId, String ruleId, Publication publication) {
        return db.inOrg(orgId, jdbc -> {
            boolean deleted = jdbc.sql("delete from alert_rule where id = :id")
                            .param("id", ruleId)
                            .update()
                    > 0;
            if (deleted) {
                publication.publish(ruleId, null); // a tombstone: the pipeline forgets the rule
            }
            return deleted;
        });
    }

    private static void requireSource(JdbcClient jdbc, String sourceId) {
        if (sourceId != null && (!Ids.looksLikeId(sourceId) || !SourceChecks.exists(jdbc, sourceId))) {
            throw SourceChecks.unknown(sourceId);
        }
    }

    private static Optional<AlertRule> find(JdbcClient jdbc, String ruleId) {
        return jdbc.sql("select " + COLUMNS + " from alert_rule where id = :id")
                .param("id", ruleId)
                .query(AlertRuleRepository::row)
                .optional();
    }

    /** The rule as the pipeline reads it, read back through the contract from what was stored. */
    private static AlertRuleSpec spec(JdbcClient jdbc, String ruleId) {
        return jdbc.sql("select id, org_id, source_id, name, condition_json::text as condition_json,"
                        + " channels_json::text as channels_json, page_max_age_minutes, is_active, version,"
                        + " signing_secret"
                        + " from alert_rule where id = :id")
                .param("id", ruleId)
                .query((rs, n) -> new AlertRuleSpec(
                        rs.getString("id"),
                        rs.getString("org_id"),
                        rs.getString("source_id"),
                        rs.getString("name"),
                        AlertRuleCodec.readCondition(JSON.readValue(rs.getString("condition_json"), Object.class)),
                        AlertRuleCodec.readChannels(
                                JSON.readValue(rs.getString("channels_json"), Object.class),
                                AlertRuleCodec.TargetCheck.NONE),
                        pageMaxAge(rs),
                        rs.getBoolean("is_active"),
                        rs.getLong("version"),
                        rs.getString("signing_secret")))
                .single();
    }

    /** Whole minutes, as stored; null ("off") stays null. */
    private static Integer minutes(Duration age) {
        return age == null ? null : (int) age.toMinutes();
    }

    private static Duration pageMaxAge(ResultSet rs) throws SQLException {
        int minutes = rs.getInt("page_max_age_minutes");
        return rs.wasNull() ? null : Duration.ofMinutes(minutes);
    }

    private static String json(AlertCondition condition) {
        return JSON.writeValueAsString(AlertRuleCodec.writeCondition(condition));
    }

    private static String json(AlertChannels channels) {
        return JSON.writeValueAsString(AlertRuleCodec.writeChannels(channels));
    }

    private static AlertRule row(ResultSet rs, int n) throws SQLException {
        String secret = rs.getString("signing_secret");
        String hint = secret == null || secret.isEmpty() ? null : "whsec_…" + secret.substring(secret.length() - 4);
        return new AlertRule(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("source_id"),
                JSON.readTree(rs.getString("condition_json")),
                JSON.readTree(rs.getString("channels_json")),
                AlertRuleCodec.writePageMaxAge(pageMaxAge(rs)),
                rs.getBoolean("is_active"),
                rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                hint,
                null);
    }
}
