package dev.logai.flink.summary.store;

import dev.logai.common.tenancy.OrgScope;
import dev.logai.flink.sink.PostgresSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The summarizer's memory in Postgres, as the application role: every statement runs in a
 * transaction scoped to one org ({@link OrgScope}), so row-level security keeps one org's cache and
 * usage from another. The shared cache table has no org column and is read and written only for
 * orgs with {@code ai_cache_shared}. Connections are pooled, one per summarizing thread at most.
 */
public final class PostgresSummaryStore implements SummaryStore {
    private final PostgresSettings settings;
    private final Map<String, Double> planBudgets;
    private final BlockingQueue<Connection> idle;

    public PostgresSummaryStore(PostgresSettings settings, Map<String, Double> planBudgets, int maxConnections) {
        this.settings = settings;
        this.planBudgets = Map.copyOf(planBudgets);
        this.idle = new ArrayBlockingQueue<>(Math.max(1, maxConnections));
    }

    @FunctionalInterface
    private interface InOrg<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inOrg(String orgId, InOrg<T> work) throws SQLException {
        Connection c = idle.poll();
        if (c == null || !c.isValid(2)) {
            closeQuietly(c);
            c = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
            c.setAutoCommit(false);
        }
        try {
            OrgScope.enter(c, orgId);
            T result = work.run(c);
            c.commit();
            if (!idle.offer(c)) {
                c.close();
            }
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is dropped below
            }
            closeQuietly(c);
            throw e;
        }
    }

    @Override
    public Optional<CachedAnswer> cached(String orgId, String promptHash, boolean shared) throws SQLException {
        return inOrg(orgId, c -> {
            String sql = "select answer::text, llm_model, prompt_version, tokens_in, tokens_out from llm_cache"
                    + " where org_id = ? and prompt_hash = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, orgId);
                ps.setString(2, promptHash);
                Optional<CachedAnswer> own = read(ps);
                if (own.isPresent() || !shared) {
                    return own;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select answer::text, llm_model, prompt_version, tokens_in,"
                    + " tokens_out from llm_cache_shared where prompt_hash = ?")) {
                ps.setString(1, promptHash);
                return read(ps);
            }
        });
    }

    private static Optional<CachedAnswer> read(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next()
                    ? Optional.of(new CachedAnswer(
                            rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5)))
                    : Optional.empty();
        }
    }

    @Override
    public void remember(String orgId, String promptHash, CachedAnswer a, boolean shared) throws SQLException {
        inOrg(orgId, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into llm_cache (org_id, prompt_hash, llm_model,"
                    + " prompt_version, answer, tokens_in, tokens_out) values (?, ?, ?, ?, ?::jsonb, ?, ?)"
                    + " on conflict (org_id, prompt_hash) do nothing")) {
                ps.setString(1, orgId);
                ps.setString(2, promptHash);
                ps.setString(3, a.model());
                ps.setString(4, a.promptVersion());
                ps.setString(5, a.answerJson());
                ps.setInt(6, a.tokensIn());
                ps.setInt(7, a.tokensOut());
                ps.executeUpdate();
            }
            if (shared) {
                try (PreparedStatement ps = c.prepareStatement("insert into llm_cache_shared (prompt_hash, llm_model,"
                        + " prompt_version, answer, tokens_in, tokens_out) values (?, ?, ?, ?::jsonb, ?, ?)"
                        + " on conflict (prompt_hash) do nothing")) {
                    ps.setString(1, promptHash);
                    ps.setString(2, a.model());
                    ps.setString(3, a.promptVersion());
                    ps.setString(4, a.answerJson());
                    ps.setInt(5, a.tokensIn());
                    ps.setInt(6, a.tokensOut());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The plans the caps come from; set by {@link #withPlans}. */
    private dev.logai.common.plan.PlanCatalog catalog = dev.logai.common.plan.PlanCatalog.defaults();

    /** Reads caps from the deployment's plans ({@code LOGAI_PLANS}). */
    public PostgresSummaryStore withPlans(String plans) {
        this.catalog = dev.logai.common.plan.PlanCatalog.parse(plans);
        return this;
    }

    @Override
    public int summariesInFlight(String orgId) throws SQLException {
        return inOrg(orgId, c -> {
            dev.logai.common.plan.PlanLimits limits = dev.logai.common.plan.OrgPlans.read(c, orgId, catalog);
            return limits == null ? 1 : limits.summariesInFlight();
        });
    }

    @Override
    public Budget budget(String orgId) throws SQLException {
        return inOrg(orgId, c -> {
            try (PreparedStatement ps = c.prepareStatement("select o.plan, o.ai_budget_usd, o.ai_cache_shared,"
                    + " coalesce((select u.cost_usd from ai_usage u where u.org_id = o.id and u.month = ?), 0)"
                    + " from org o where o.id = ?")) {
                ps.setObject(1, currentMonth());
                ps.setString(2, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Budget(0, 0, false); // the org is gone: nothing to spend
                    }
                    double own = rs.getDouble(2);
                    double limit = rs.wasNull() ? planBudgets.getOrDefault(rs.getString(1), 0.0) : own;
                    return new Budget(limit, rs.getDouble(4), rs.getBoolean(3));
                }
            }
        });
    }

    @Override
    public void record(String orgId, Usage u) throws SQLException {
        inOrg(orgId, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into ai_usage (org_id, month, llm_calls, cache_hits,"
                    + " fallbacks, tokens_in, tokens_out, cost_usd) select ?, ?, ?, ?, ?, ?, ?, ?"
                    + " where exists (select 1 from org where id = ?)"
                    + " on conflict (org_id, month) do update set llm_calls = ai_usage.llm_calls + excluded.llm_calls,"
                    + " cache_hits = ai_usage.cache_hits + excluded.cache_hits,"
                    + " fallbacks = ai_usage.fallbacks + excluded.fallbacks,"
                    + " tokens_in = ai_usage.tokens_in + excluded.tokens_in,"
                    + " tokens_out = ai_usage.tokens_out + excluded.tokens_out,"
                    + " cost_usd = ai_usage.cost_usd + excluded.cost_usd, updated_at = now()")) {
                ps.setString(1, orgId);
                ps.setObject(2, currentMonth());
                ps.setInt(3, u.llmCalls());
                ps.setInt(4, u.cacheHits());
                ps.setInt(5, u.fallbacks());
                ps.setLong(6, u.tokensIn());
                ps.setLong(7, u.tokensOut());
                ps.setBigDecimal(8, java.math.BigDecimal.valueOf(u.costUsd()));
                ps.setString(9, orgId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Budgets are per calendar month in UTC, by when the money is spent. */
    static LocalDate currentMonth() {
        return LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            closeQuietly(c);
        }
    }
}
