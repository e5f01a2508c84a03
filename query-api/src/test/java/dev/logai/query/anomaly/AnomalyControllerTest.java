package dev.logai.query.anomaly;

import static dev.logai.query.TestCallers.ORG_A;
import static dev.logai.query.TestCallers.READER;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
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

/** The HTTP contract of /v1/anomalies over a mocked repository. */
@WebMvcTest(AnomalyController.class)
@EnableConfigurationProperties(QuerySettings.class) // the list bounds, from application.yml
class AnomalyControllerTest {
    static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AnomalyRepository anomalies;

    @MockitoBean
    ApiKeyAuthenticator authenticator;

    @BeforeEach
    void keys() {
        TestCallers.stub(authenticator);
    }

    @Test
    void answersAnomaliesWithTheirExplanation() throws Exception {
        when(anomalies.list(eq(ORG_A), any()))
                .thenReturn(List.of(new AnomalyRow(
                        "an_1",
                        "src_aaaa",
                        T0,
                        null,
                        "error_rate",
                        "",
                        "",
                        0.2,
                        0.01,
                        null,
                        0.93,
                        "spike",
                        JsonMapper.builder().build().readTree("{\"reason\": \"errors up\", \"examples\": [\"boom\"]}"),
                        T0.minusSeconds(600))));
        mvc.perform(get("/v1/anomalies").header("Authorization", READER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].ts_window").value("2024-03-01T10:00:00Z"))
                .andExpect(jsonPath("$.items[0].metric").value("error_rate"))
                .andExpect(jsonPath("$.items[0].template_id").value(""))
                .andExpect(jsonPath("$.items[0].zscore").isEmpty())
                .andExpect(jsonPath("$.items[0].score").value(0.93))
                .andExpect(jsonPath("$.items[0].explanation.reason").value("errors up"))
                .andExpect(jsonPath("$.items[0].onset").value("2024-03-01T09:50:00Z"))
                .andExpect(jsonPath("$.limit").value(500));
    }

    @Test
    void anotherOrgsSourceIsNotFoundAndAMissingKeyUnauthorized() throws Exception {
        when(anomalies.list(eq(ORG_A), any())).thenThrow(SourceChecks.unknown("src_bbbb"));
        mvc.perform(get("/v1/anomalies?source_id=src_bbbb").header("Authorization", READER))
                .andExpect(status().isNotFound());
        mvc.perform(get("/v1/anomalies").header("Authorization", "Basic x")).andExpect(status().isUnauthorized());
    }
}
