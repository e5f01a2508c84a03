package dev.logai.query;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A WHERE clause of optional conditions, each with one bound value: a condition whose value is
 * null (a filter not given) is left out. Values are always bound, never concatenated; instants are
 * bound as timestamps.
 */
public final class SqlFilters {
    private final StringBuilder where = new StringBuilder(" where true");
    private final List<Object> params = new ArrayList<>();

    /** Adds {@code condition} (holding one {@code ?}) when {@code value} is not null. */
    public SqlFilters and(String condition, Object value) {
        if (value != null) {
            where.append(" and ").append(condition);
            params.add(value instanceof Instant i ? Timestamp.from(i) : value);
        }
        return this;
    }

    /** {@code " where true and ..."}. */
    public String sql() {
        return where.toString();
    }

    /** The values of the {@code ?}s of {@link #sql()}, in order. */
    public List<Object> params() {
        return List.copyOf(params);
    }

    /** {@link #params()} followed by {@code more} (e.g. the {@code limit ?} after the WHERE clause). */
    public List<Object> paramsThen(Object... more) {
        List<Object> all = new ArrayList<>(params);
        all.addAll(List.of(more));
        return all;
    }
}
