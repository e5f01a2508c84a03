package dev.logai.query.alert;

import static dev.logai.query.TestCallers.ORG_A;
import static dev.logai.query.TestCallers.READER;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.query.QuerySettings;
import dev.logai.query.SourceChecks;
import dev.logai.query.TestCallers;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP contract of /v1/alerts over a mocked repository. */
@WebMvcTest(AlertEventController.class)
@EnableConfigurationProperties(QuerySettings.class) // the list bounds, from application.yml
class AlertEventControllerTest {
    static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AlertEventRepository alerts;

    @MockitoBean
    ApiKeyAuthenticator authenticator;

    @BeforeEach
    void keys() {
        TestCallers.stub(authenticator);
    }

    @Test
    void answersAlertsWithTheirLastNotification() throws Exception {
        when(alerts.list(eq(ORG_A), any(), eq("rule_aaaa"), eq("firing")))
                .thenReturn(List.of(new AlertEventRow(
                        "alert_1",
                        "rule_aaaa",
                        "API errors",
                        "src_aaaa",
                        "firing",
                        T0,
                        null,
                        4,
                        "not_sent_old_data",
                        "Not sent: the data (window ending 2024-03-01T07:00:00Z) was 3h 0m old",
                        JsonMapper.builder()
                                .build()
                                .readTree(
                                        "{\"title\": \"API errors\", \"deliveries\": [{\"channel\": \"webhook\", \"delivered\": false}]}"),
                        T0)));
        mvc.perform(get("/v1/alerts?rule_id=rule_aaaa&status=firing").header("Authorization", READER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].rule_name").value("API errors"))
                .andExpect(jsonPath("$.items[0].first_seen").value("2024-03-01T10:00:00Z"))
                .andExpect(jsonPath("$.items[0].count").value(4))
                .andExpect(jsonPath("$.items[0].notification_state").value("not_sent_old_data"))
                .andExpect(jsonPath("$.items[0].notification_reason")
                        .value(org.hamcrest.Matchers.startsWith("Not sent: the data")))
                .andExpect(
                        jsonPath("$.items[0].payload.deliveries[0].delivered").value(false))
                .andExpect(jsonPath("$.limit").value(500));
    }

    @Test
    void badFiltersAre400AndAMissingKey401() throws Exception {
        mvc.perform(get("/v1/alerts?status=open").header("Authorization", READER))
                .andExpect(status().isBadRequest())
                .andExpect(
                        jsonPath("$.detail").value("'status' must be one of firing, escalated, resolved, triggered"));
        mvc.perform(get("/v1/alerts?rule_id=DROP").header("Authorization", READER))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("'rule_id' is not a rule id (rule_…)"));
        mvc.perform(get("/v1/alerts")).andExpect(status().isUnauthorized());
        verifyNoInteractions(alerts);
    }

    @Test
    void anotherOrgsSourceIsNotFound() throws Exception {
        when(alerts.list(eq(ORG_A), any(), any(), any())).thenThrow(SourceChecks.unknown("src_bbbb"));
        mvc.perform(get("/v1/alerts?source_id=src_bbbb").header("Authorization", READER))
                .andExpect(status().isNotFound());
    }
}
