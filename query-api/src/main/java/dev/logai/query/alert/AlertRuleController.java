package dev.logai.query.alert;

import dev.logai.common.outbound.OutboundTargets;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.TenantTransactions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.Callers;
import dev.logai.query.SourceChecks;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST/GET/PATCH/DELETE /v1/alert-rules}: an org's alert rules, validated before they are
 * stored ({@link AlertRuleRules}: condition shapes, channel targets checked against SSRF). Every
 * change bumps the rule's version. Another org's rule answers 404.
 */
@RestController
class AlertRuleController {
    static final int MAX_RULES_PER_ORG = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = "id, name, source_id, condition_json::text, channels_json::text, is_active,"
            + " version, created_at, updated_at, signing_secret";

    private final Callers callers;
    private final TenantTransactions db;
    private final AlertRuleRules rules;
    private final AlertRulePublisher publisher;

    AlertRuleController(Callers callers, TenantTransactions db, AlertRulePublisher publisher,
            @Value("${logai.alerts.allow-private-targets:false}") boolean allowPrivate,
            @Value("${logai.alerts.slack-hosts:hooks.slack.com}") String slackHosts) {
        this.callers = callers;
        this.db = db;
        this.publisher = publisher;
        Set<String> hosts = Arrays.stream(slackHosts.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        this.rules = new AlertRuleRules(new OutboundTargets(allowPrivate, hosts));
    }

    /** Body of POST and PATCH; on PATCH, absent fields stay as they are. */
    record RuleBody(String name, String sourceId, JsonNode condition, JsonNode channels, Boolean isActive) {}

    @PostMapping("/v1/alert-rules")
    ResponseEntity<AlertRule> create(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @RequestBody(required = false) RuleBody body) throws SQLException {
        ApiPrincipal caller = callers.require(auth, "write");
        if (body == null) {
            throw ApiProblem.badRequest("Send a JSON body with \"name\", \"condition\" and \"channels\" (see docs/openapi.yaml).");
        }
        String name = name(body.name());
        String condition = rules.condition(body.condition()).toString();
        String channels = rules.channels(body.channels()).toString();
        String id = Ids.newId("rule");
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        AlertRule created = db.inOrg(caller.orgId(), c -> {
            requireSource(c, body.sourceId());
            try (PreparedStatement ps = c.prepareStatement("select count(*) from alert_rule")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= MAX_RULES_PER_ORG) {
                        throw new ApiProblem(403, "Rule limit reached", "An org can have at most " + MAX_RULES_PER_ORG
                                + " alert rules; delete unused ones first.");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("insert into alert_rule (id, org_id, source_id, name,"
                    + " condition_json, channels_json, is_active, signing_secret) values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, caller.orgId());
                ps.setString(3, body.sourceId());
                ps.setString(4, name);
                ps.setString(5, condition);
                ps.setString(6, channels);
                ps.setBoolean(7, body.isActive() == null || body.isActive());
                ps.setString(8, secret);
                ps.executeUpdate();
            }
            publisher.publish(id, forPipeline(c, id));
            return find(c, id).orElseThrow();
        });
        return ResponseEntity.created(URI.create("/v1/alert-rules/" + id)).body(withSecret(created, secret));
    }

    @GetMapping("/v1/alert-rules")
    Map<String, List<AlertRule>> list(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth)
            throws SQLException {
        ApiPrincipal caller = callers.require(auth, "read");
        return Map.of("items", db.inOrg(caller.orgId(), c -> {
            List<AlertRule> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from alert_rule order by created_at, id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        }));
    }

    @GetMapping("/v1/alert-rules/{id}")
    AlertRule get(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @PathVariable("id") String id) throws SQLException {
        ApiPrincipal caller = callers.require(auth, "read");
        return db.inOrg(caller.orgId(), c -> find(c, wellFormed(id))).orElseThrow(() -> notFound(id));
    }

    @PatchMapping("/v1/alert-rules/{id}")
    AlertRule update(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @PathVariable("id") String id, @RequestBody(required = false) RuleBody body) throws SQLException {
        ApiPrincipal caller = callers.require(auth, "write");
        if (body == null) {
            throw ApiProblem.badRequest("Send a JSON body with the fields to change: name, source_id, condition, channels, is_active.");
        }
        String name = body.name() == null ? null : name(body.name());
        String condition = body.condition() == null ? null : rules.condition(body.condition()).toString();
        String channels = body.channels() == null ? null : rules.channels(body.channels()).toString();
        return db.inOrg(caller.orgId(), c -> {
            find(c, wellFormed(id)).orElseThrow(() -> notFound(id));
            requireSource(c, body.sourceId());
            try (PreparedStatement ps = c.prepareStatement("update alert_rule set name = coalesce(?, name),"
                    + " source_id = coalesce(?, source_id), condition_json = coalesce(?::jsonb, condition_json),"
                    + " channels_json = coalesce(?::jsonb, channels_json), is_active = coalesce(?, is_active),"
                    + " version = version + 1, updated_at = now() where id = ?")) {
                ps.setString(1, name);
                ps.setString(2, body.sourceId());
                ps.setString(3, condition);
                ps.setString(4, channels);
                ps.setObject(5, body.isActive());
                ps.setString(6, id);
                ps.executeUpdate();
            }
            publisher.publish(id, forPipeline(c, id));
            return find(c, id).orElseThrow();
        });
    }

    @DeleteMapping("/v1/alert-rules/{id}")
    ResponseEntity<Void> delete(@RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String auth,
            @PathVariable("id") String id) throws SQLException {
        ApiPrincipal caller = callers.require(auth, "write");
        int deleted = db.inOrg(caller.orgId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from alert_rule where id = ?")) {
                ps.setString(1, wellFormed(id));
                int n = ps.executeUpdate();
                if (n > 0) {
                    publisher.publish(id, null); // a tombstone: the pipeline forgets the rule
                }
                return n;
            }
        });
        if (deleted == 0) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    private static String name(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty() || name.length() > 200) {
            throw ApiProblem.badRequest("'name' is required and must be 1 to 200 characters.");
        }
        return name;
    }

    private static void requireSource(Connection c, String sourceId) throws SQLException {
        if (sourceId != null && (!Ids.looksLikeId(sourceId) || !SourceChecks.exists(c, sourceId))) {
            throw SourceChecks.unknown(sourceId);
        }
    }

    private static String wellFormed(String id) {
        if (!Ids.looksLikeId(id)) {
            throw notFound(id);
        }
        return id;
    }

    /**
     * The rule as the pipeline reads it from the rules topic: everything it needs to evaluate and
     * send, the org it belongs to, its version, and the webhook signing secret.
     */
    private static String forPipeline(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, org_id, source_id, name, condition_json::text,"
                + " channels_json::text, is_active, version, signing_secret from alert_rule where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                tools.jackson.databind.node.ObjectNode n = JSON.createObjectNode();
                n.put("id", rs.getString(1));
                n.put("org_id", rs.getString(2));
                n.put("source_id", rs.getString(3));
                n.put("name", rs.getString(4));
                n.set("condition", JSON.readTree(rs.getString(5)));
                n.set("channels", JSON.readTree(rs.getString(6)));
                n.put("is_active", rs.getBoolean(7));
                n.put("version", rs.getLong(8));
                n.put("signing_secret", rs.getString(9));
                return n.toString();
            }
        }
    }

    private static Optional<AlertRule> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from alert_rule where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static AlertRule row(ResultSet rs) throws SQLException {
        String secret = rs.getString(10);
        return new AlertRule(rs.getString(1), rs.getString(2), rs.getString(3), JSON.readTree(rs.getString(4)),
                JSON.readTree(rs.getString(5)), rs.getBoolean(6), rs.getLong(7), rs.getTimestamp(8).toInstant(),
                rs.getTimestamp(9).toInstant(), secret.isEmpty() ? null : "whsec_…" + secret.substring(secret.length() - 4), null);
    }

    private static AlertRule withSecret(AlertRule r, String secret) {
        return new AlertRule(r.id(), r.name(), r.sourceId(), r.condition(), r.channels(), r.isActive(), r.version(),
                r.createdAt(), r.updatedAt(), r.signingSecretHint(), secret);
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound("Unknown alert rule", "Alert rule '" + id + "' does not exist in your org.");
    }
}
