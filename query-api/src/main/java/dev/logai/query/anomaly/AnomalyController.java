package dev.logai.query.anomaly;

import tools.jackson.databind.ObjectMapper;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.query.Callers;
import dev.logai.query.QuerySettings;
import dev.logai.query.SourceChecks;
import dev.logai.query.TimeRange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/anomalies?source_id&since&until&limit}: newest first, highest score first within
 * a window. {@code since}/{@code until} bound the window start. Without {@code source_id}, all
 * sources of the caller's org; row-level security keeps it to that org.
 */
@RestController
class AnomalyController {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Callers callers;
    private final TenantTransactions db;
    private final QuerySettings settings;

    AnomalyController(Callers callers, TenantTransactions db, QuerySettings settings) {
        this.callers = callers;
        this.db = db;
        this.settings = settings;
    }

    @GetMapping("/v1/anomalies")
    Map<String, Object> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @RequestParam(name = "source_id", required = false) String sourceId,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "until", required = false) String until,
            @RequestParam(name = "limit", required = false) Integer limit) throws SQLException {
        ApiPrincipal caller = callers.require(auth, "read");
        TimeRange range = TimeRange.parse(since, until);
        int max = TimeRange.limit(limit, settings);
        SourceChecks.requireWellFormed(sourceId);
        List<AnomalyRow> rows = db.inOrg(caller.orgId(), c -> {
            if (sourceId != null && !SourceChecks.exists(c, sourceId)) {
                return null;
            }
            StringBuilder sql = new StringBuilder("select id, source_id, ts_window, window_end, metric, service,"
                    + " template_id, observed, baseline, zscore, score, label, explanation::text from anomaly where true");
            List<Object> args = new ArrayList<>();
            if (sourceId != null) {
                sql.append(" and source_id = ?");
                args.add(sourceId);
            }
            if (range.since() != null) {
                sql.append(" and ts_window >= ?");
                args.add(Timestamp.from(range.since()));
            }
            if (range.until() != null) {
                sql.append(" and ts_window < ?");
                args.add(Timestamp.from(range.until()));
            }
            sql.append(" order by ts_window desc, score desc, id limit ?");
            args.add(max);
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<AnomalyRow> result = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double z = rs.getDouble(10);
                        Double zscore = rs.wasNull() ? null : z;
                        Timestamp end = rs.getTimestamp(4);
                        result.add(new AnomalyRow(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                                end == null ? null : end.toInstant(), rs.getString(5), rs.getString(6),
                                rs.getString(7), rs.getDouble(8), rs.getDouble(9), zscore, rs.getDouble(11),
                                rs.getString(12), readJson(rs.getString(13))));
                    }
                }
                return result;
            }
        });
        if (rows == null) {
            throw SourceChecks.unknown(sourceId);
        }
        return Map.of("items", rows, "limit", max);
    }

    private static tools.jackson.databind.JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("Stored explanation is not JSON", e);
        }
    }
}
