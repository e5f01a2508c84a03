package dev.logai.query.alert;

import static dev.logai.query.TestCallers.ORG_A;
import static dev.logai.query.TestCallers.READER;
import static dev.logai.query.TestCallers.WRITER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.logai.common.contract.Metric;
import dev.logai.common.contract.alert.AlertCondition;
import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.query.TestCallers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP contract of /v1/alert-rules over a mocked repository and publisher. */
@WebMvcTest(AlertRuleController.class)
@TestPropertySource(properties = "logai.alerts.allow-private-targets=false")
class AlertRuleControllerTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
    static final AlertRule STORED = new AlertRule(
            "rule_aaaa",
            "API errors",
            null,
            JSON.readTree(
                    "{\"metric\":\"error_rate\",\"op\":\">\",\"threshold\":0.02,\"window\":\"5m\",\"sustained\":1,"
                            + "\"resolve_after\":3}"),
            JSON.readTree("{\"email\":[\"oncall@example.com\"]}"),
            "1h",
            true,
            1,
            T0,
            T0,
            "whsec_…abcd",
            null);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AlertRuleRepository rules;

    @MockitoBean
    AlertRulePublisher publisher;

    @MockitoBean
    ApiKeyAuthenticator authenticator;

    @BeforeEach
    void keys() {
        TestCallers.stub(authenticator);
    }

    @Test
    void createsARuleWithTheContractsDefaultsAndShowsTheSecretOnce() throws Exception {
        when(rules.create(eq(ORG_A), any(), anyInt(), any())).thenReturn(STORED);
        mvc.perform(
                        post("/v1/alert-rules")
                                .header("Authorization", WRITER)
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"name\": \" API errors \", \"condition\": {\"metric\": \"error_rate\", \"op\": \">\","
                                                + " \"threshold\": 0.02, \"window\": \"5m\"}, \"channels\": {\"email\": [\"oncall@example.com\"]}}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/v1/alert-rules/rule_aaaa"))
                .andExpect(jsonPath("$.signing_secret").value(org.hamcrest.Matchers.startsWith("whsec_")))
                .andExpect(jsonPath("$.signing_secret_hint").value("whsec_…abcd"))
                .andExpect(jsonPath("$.condition.resolve_after").value(3))
                .andExpect(jsonPath("$.is_active").value(true))
                .andExpect(jsonPath("$.page_max_age").value("1h"))
                .andExpect(jsonPath("$.source_id").doesNotExist());
        ArgumentCaptor<AlertRuleRepository.NewRule> rule = ArgumentCaptor.forClass(AlertRuleRepository.NewRule.class);
        verify(rules).create(eq(ORG_A), rule.capture(), eq(AlertRuleController.MAX_RULES_PER_ORG), any());
        assertThat(rule.getValue().name()).isEqualTo("API errors");
        assertThat(rule.getValue().condition())
                .isEqualTo(new AlertCondition.Threshold(
                        Metric.ERROR_RATE,
                        AlertCondition.Comparison.GT,
                        0.02,
                        Duration.ofMinutes(5),
                        null,
                        1,
                        null,
                        null,
                        3));
        assertThat(rule.getValue().channels().email()).containsExactly("oncall@example.com");
        assertThat(rule.getValue().active()).isTrue();
        assertThat(rule.getValue().pageMaxAge()).as("the default").isEqualTo(Duration.ofMinutes(60));
    }

    @Test
    void anAbsenceRuleIsTakenWithItsDurationAndText() throws Exception {
        when(rules.create(eq(ORG_A), any(), anyInt(), any())).thenReturn(STORED);
        mvc.perform(
                        post("/v1/alert-rules")
                                .header("Authorization", WRITER)
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"name\": \"Backups\", \"condition\": {\"absence\": {\"for\": \"24h\","
                                                + " \"contains\": \"backup finished\"}}, \"channels\": {\"email\": [\"oncall@example.com\"]}}"))
                .andExpect(status().isCreated());
        ArgumentCaptor<AlertRuleRepository.NewRule> rule = ArgumentCaptor.forClass(AlertRuleRepository.NewRule.class);
        verify(rules).create(eq(ORG_A), rule.capture(), eq(AlertRuleController.MAX_RULES_PER_ORG), any());
        assertThat(rule.getValue().condition())
                .isEqualTo(new dev.logai.common.contract.alert.AlertCondition.Absence(
                        Duration.ofHours(24), "backup finished"));
        mvc.perform(post("/v1/alert-rules")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"x\", \"condition\": {\"absence\": {\"for\": \"10s\"}},"
                                + " \"channels\": {\"email\": [\"oncall@example.com\"]}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("'condition.absence.for' must be whole minutes from 1m to 24h"));
    }

    @Test
    void takesPageMaxAgeOrOffAndRefusesItOutOfBounds() throws Exception {
        when(rules.create(eq(ORG_A), any(), anyInt(), any())).thenReturn(STORED);
        String body = "{\"name\": \"x\", \"condition\": {\"pattern\": {\"new_template\": true}},"
                + " \"channels\": {\"email\": [\"oncall@example.com\"]}, \"page_max_age\": %s}";
        ArgumentCaptor<AlertRuleRepository.NewRule> rule = ArgumentCaptor.forClass(AlertRuleRepository.NewRule.class);
        for (String age : List.of("\"2d\"", "\"off\"")) {
            mvc.perform(post("/v1/alert-rules")
                            .header("Authorization", WRITER)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(body.formatted(age)))
                    .andExpect(status().isCreated());
        }
        verify(rules, org.mockito.Mockito.times(2))
                .create(eq(ORG_A), rule.capture(), eq(AlertRuleController.MAX_RULES_PER_ORG), any());
        assertThat(rule.getAllValues())
                .extracting(AlertRuleRepository.NewRule::pageMaxAge)
                .containsExactly(Duration.ofDays(2), null);

        for (String age : List.of("\"31d\"", "\"30s\"", "60")) {
            mvc.perform(post("/v1/alert-rules")
                            .header("Authorization", WRITER)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(body.formatted(age)))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.detail")
                            .value(org.hamcrest.Matchers.startsWith(
                                    "'page_max_age' must be a duration from 1m to 30d such as \"60m\"")));
        }
    }

    @Test
    void refusesBadConditionsAndUnsafeTargetsWithTheContractsMessage() throws Exception {
        mvc.perform(post("/v1/alert-rules")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"x\",\"condition\":{\"metric\":\"cpu\",\"op\":\">\",\"threshold\":1},"
                                + "\"channels\":{\"email\":[\"a@example.com\"]}}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail")
                        .value("'condition.metric' must be one of error_count, error_rate,"
                                + " latency_p95, line_count, new_templates"));
        mvc.perform(post("/v1/alert-rules")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(
                                "{\"name\":\"x\",\"condition\":{\"metric\":\"error_rate\",\"op\":\">\",\"threshold\":1},"
                                        + "\"channels\":{\"webhook\":[\"http://169.254.169.254/latest/meta-data/\"]}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("channels.webhook: ")));
        mvc.perform(post("/v1/alert-rules")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"\",\"condition\":{},\"channels\":{}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("'name' is required and must be 1 to 200 characters."));
        verifyNoInteractions(rules, publisher);
    }

    @Test
    void anotherOrgsRuleIsNotFoundForEveryMethod() throws Exception {
        when(rules.find(ORG_A, "rule_bbbb")).thenReturn(Optional.empty());
        when(rules.update(eq(ORG_A), eq("rule_bbbb"), any(), any())).thenReturn(Optional.empty());
        when(rules.delete(eq(ORG_A), eq("rule_bbbb"), any())).thenReturn(false);
        mvc.perform(get("/v1/alert-rules/rule_bbbb").header("Authorization", READER))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Unknown alert rule"));
        mvc.perform(patch("/v1/alert-rules/rule_bbbb")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"is_active\": true}"))
                .andExpect(status().isNotFound());
        mvc.perform(delete("/v1/alert-rules/rule_bbbb").header("Authorization", WRITER))
                .andExpect(status().isNotFound());
        mvc.perform(get("/v1/alert-rules/nope").header("Authorization", READER)).andExpect(status().isNotFound());
    }

    @Test
    void listsWithoutSecretsAndNeedsAKey() throws Exception {
        when(rules.list(ORG_A)).thenReturn(List.of(STORED));
        mvc.perform(get("/v1/alert-rules").header("Authorization", READER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].id").value("rule_aaaa"))
                .andExpect(jsonPath("$.items[0].condition.window").value("5m"))
                .andExpect(jsonPath("$.items[0].signing_secret").doesNotExist());
        mvc.perform(get("/v1/alert-rules")).andExpect(status().isUnauthorized());
        mvc.perform(delete("/v1/alert-rules/rule_aaaa").header("Authorization", READER))
                .andExpect(status().isForbidden());
    }

    @Test
    void patchValidatesOnlyWhatItChangesAndDeleteAnswers204() throws Exception {
        when(rules.update(eq(ORG_A), eq("rule_aaaa"), any(), any())).thenReturn(Optional.of(STORED));
        mvc.perform(patch("/v1/alert-rules/rule_aaaa")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"condition\": {\"anomaly\": {\"min_score\": 0.8}}}"))
                .andExpect(status().isOk());
        ArgumentCaptor<AlertRuleRepository.RuleChange> change =
                ArgumentCaptor.forClass(AlertRuleRepository.RuleChange.class);
        verify(rules).update(eq(ORG_A), eq("rule_aaaa"), change.capture(), any());
        assertThat(change.getValue())
                .isEqualTo(new AlertRuleRepository.RuleChange(
                        null, null, new AlertCondition.Anomaly(0.8, null, null), null, null, null));

        for (String[] c : new String[][] {{"\"6h\"", "PT6H"}, {"\"off\"", "off"}}) {
            org.mockito.Mockito.clearInvocations(rules);
            mvc.perform(patch("/v1/alert-rules/rule_aaaa")
                            .header("Authorization", WRITER)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"page_max_age\": " + c[0] + "}"))
                    .andExpect(status().isOk());
            verify(rules).update(eq(ORG_A), eq("rule_aaaa"), change.capture(), any());
            assertThat(change.getValue().pageMaxAge())
                    .as("set, to a limit or to off")
                    .isNotNull();
            assertThat(change.getValue().pageMaxAge().map(Duration::toString).orElse("off"))
                    .isEqualTo(c[1]);
        }

        when(rules.delete(eq(ORG_A), eq("rule_aaaa"), any())).thenReturn(true);
        mvc.perform(delete("/v1/alert-rules/rule_aaaa").header("Authorization", WRITER))
                .andExpect(status().isNoContent());
    }
}
