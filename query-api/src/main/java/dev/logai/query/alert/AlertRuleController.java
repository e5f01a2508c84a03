package dev.logai.query.alert;

import dev.logai.common.contract.alert.AlertChannels;
import dev.logai.common.contract.alert.AlertCondition;
import dev.logai.common.contract.alert.AlertRuleCodec;
import dev.logai.common.contract.alert.AlertRuleCodec.TargetCheck;
import dev.logai.common.contract.alert.InvalidAlertRuleException;
import dev.logai.common.outbound.OutboundTargets;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.Items;
import dev.logai.query.auth.RequiresScope;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST/GET/PATCH/DELETE /v1/alert-rules}: an org's alert rules, validated by the shared
 * contract ({@link AlertRuleCodec}: condition kinds, defaults, limits; Slack and webhook targets
 * checked against SSRF by {@link OutboundTargets}) before they are stored and published to the
 * pipeline. A refusal is 400 problem+json whose detail names the field. Every change bumps the
 * rule's version. Another org's rule answers 404; changes need the write scope (403).
 */
@RestController
class AlertRuleController {
    static final int MAX_RULES_PER_ORG = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AlertRuleRepository rules;
    private final AlertRulePublisher publisher;
    private final TargetCheck targets;

    AlertRuleController(
            AlertRuleRepository rules,
            AlertRulePublisher publisher,
            @Value("${logai.alerts.allow-private-targets:false}") boolean allowPrivate,
            @Value("${logai.alerts.slack-hosts:hooks.slack.com}") String slackHosts) {
        this.rules = rules;
        this.publisher = publisher;
        Set<String> hosts = Arrays.stream(slackHosts.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        this.targets = TargetCheck.of(new OutboundTargets(allowPrivate, hosts));
    }

    /**
     * Body of POST and PATCH: {@code condition} and {@code channels} as JSON trees (maps, lists,
     * strings, numbers, booleans), read by {@link AlertRuleCodec}; {@code pageMaxAge} a duration
     * ({@code "60m"}, {@code "6h"}, {@code "2d"}) or {@code "off"} ({@link
     * AlertRuleCodec#readPageMaxAge}). On PATCH, absent (or null) fields stay as they are; on POST
     * {@code isActive} defaults to true and {@code pageMaxAge} to 60m.
     */
    record RuleBody(
            String name, String sourceId, Object condition, Object channels, Object pageMaxAge, Boolean isActive) {}

    /** 201 with the rule, its {@code Location} and (this once) its signing secret. */
    @PostMapping("/v1/alert-rules")
    ResponseEntity<AlertRule> create(
            @RequiresScope(Permissions.ALERTS) ApiPrincipal caller, @RequestBody(required = false) RuleBody body) {
        if (body == null) {
            throw ApiProblem.badRequest(
                    "Send a JSON body with \"name\", \"condition\" and \"channels\" (see docs/openapi.yaml).");
        }
        String name = name(body.name());
        AlertCondition condition = valid(body.condition(), AlertRuleCodec::readCondition);
        AlertChannels channels = valid(body.channels(), tree -> AlertRuleCodec.readChannels(tree, targets));
        Duration pageMaxAge = valid(body.pageMaxAge(), AlertRuleCodec::readPageMaxAge);
        String secret = newSigningSecret();
        AlertRule created = rules.create(
                caller.orgId(),
                new AlertRuleRepository.NewRule(
                        name,
                        body.sourceId(),
                        condition,
                        channels,
                        pageMaxAge,
                        body.isActive() == null || body.isActive(),
                        secret),
                MAX_RULES_PER_ORG,
                publisher::publish);
        return ResponseEntity.created(URI.create("/v1/alert-rules/" + created.id()))
                .body(created.withSecret(secret));
    }

    /** {@code {"items": [AlertRule...]}}, oldest first, without secrets. */
    @GetMapping("/v1/alert-rules")
    Items<AlertRule> list(@RequiresScope("read") ApiPrincipal caller) {
        return new Items<>(rules.list(caller.orgId()));
    }

    /** The rule; 404 when the org has no such rule. */
    @GetMapping("/v1/alert-rules/{id}")
    AlertRule get(@RequiresScope("read") ApiPrincipal caller, @PathVariable("id") String id) {
        return rules.find(caller.orgId(), wellFormed(id)).orElseThrow(() -> notFound(id));
    }

    /** The changed rule; 400 for an invalid field, 404 when the org has no such rule. */
    @PatchMapping("/v1/alert-rules/{id}")
    AlertRule update(
            @RequiresScope(Permissions.ALERTS) ApiPrincipal caller,
            @PathVariable("id") String id,
            @RequestBody(required = false) RuleBody body) {
        if (body == null) {
            throw ApiProblem.badRequest(
                    "Send a JSON body with the fields to change: name, source_id, condition, channels,"
                            + " page_max_age, is_active.");
        }
        String name = body.name() == null ? null : name(body.name());
        AlertCondition condition =
                body.condition() == null ? null : valid(body.condition(), AlertRuleCodec::readCondition);
        AlertChannels channels = body.channels() == null
                ? null
                : valid(body.channels(), tree -> AlertRuleCodec.readChannels(tree, targets));
        // Optional.empty() is "off", a value to set; null leaves the stored limit as it is.
        Optional<Duration> pageMaxAge = body.pageMaxAge() == null
                ? null
                : Optional.ofNullable(valid(body.pageMaxAge(), AlertRuleCodec::readPageMaxAge));
        return rules.update(
                        caller.orgId(),
                        wellFormed(id),
                        new AlertRuleRepository.RuleChange(
                                name, body.sourceId(), condition, channels, pageMaxAge, body.isActive()),
                        publisher::publish)
                .orElseThrow(() -> notFound(id));
    }

    /** 204, and a tombstone on the rules topic; 404 when the org has no such rule. */
    @DeleteMapping("/v1/alert-rules/{id}")
    ResponseEntity<Void> delete(@RequiresScope(Permissions.ALERTS) ApiPrincipal caller, @PathVariable("id") String id) {
        if (!rules.delete(caller.orgId(), wellFormed(id), publisher::publish)) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    private static <T> T valid(Object tree, Function<Object, T> reader) {
        try {
            return reader.apply(tree);
        } catch (InvalidAlertRuleException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    private static String name(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty() || name.length() > 200) {
            throw ApiProblem.badRequest("'name' is required and must be 1 to 200 characters.");
        }
        return name;
    }

    private static String wellFormed(String id) {
        if (!Ids.looksLikeId(id)) {
            throw notFound(id);
        }
        return id;
    }

    /** {@code whsec_} and 32 random bytes, base64url: the generic webhook's HMAC-SHA256 key. */
    private static String newSigningSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound("Unknown alert rule", "Alert rule '" + id + "' does not exist in your org.");
    }
}
