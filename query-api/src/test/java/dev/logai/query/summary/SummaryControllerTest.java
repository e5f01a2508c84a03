package dev.logai.query.summary;

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
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The HTTP contract of /v1/summaries over a mocked repository. */
@WebMvcTest(SummaryController.class)
@EnableConfigurationProperties(QuerySettings.class) // the list bounds, from application.yml
class SummaryControllerTest {
    static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    SummaryRepository summaries;

    @MockitoBean
    ApiKeyAuthenticator authenticator;

    @BeforeEach
    void keys() {
        TestCallers.stub(authenticator);
    }

    @Test
    void answersSummariesAsTheOpenApiFileDescribesThem() throws Exception {
        when(summaries.list(eq(ORG_A), any()))
                .thenReturn(List.of(new SummaryRow(
                        "sum_1",
                        "src_aaaa",
                        T0,
                        T0.plusSeconds(300),
                        5,
                        "anomaly",
                        "high",
                        "Payment timeouts",
                        List.of("b1", "b2", "b3"),
                        List.of("line"),
                        List.of("roll back"),
                        "extractive",
                        new BigDecimal("0.0012"),
                        10,
                        20,
                        false,
                        true,
                        "no_llm",
                        "extractive",
                        "v3",
                        T0,
                        T0.plusSeconds(300))));
        mvc.perform(get("/v1/summaries").header("Authorization", READER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].window_end").value("2024-03-01T10:05:00Z"))
                .andExpect(jsonPath("$.items[0].next_steps[0]").value("roll back"))
                .andExpect(jsonPath("$.items[0].llm_model").value("extractive"))
                .andExpect(jsonPath("$.items[0].cost_usd").value(0.0012))
                .andExpect(jsonPath("$.items[0].cache_hit").value(false))
                .andExpect(jsonPath("$.items[0].fallback_reason").value("no_llm"))
                .andExpect(jsonPath("$.items[0].model_reason").value("extractive"))
                .andExpect(jsonPath("$.items[0].prompt_version").value("v3"));
    }

    @Test
    void anotherOrgsSourceIsNotFoundAndAMissingKeyUnauthorized() throws Exception {
        when(summaries.list(eq(ORG_A), any())).thenThrow(SourceChecks.unknown("src_bbbb"));
        mvc.perform(get("/v1/summaries?source_id=src_bbbb").header("Authorization", READER))
                .andExpect(status().isNotFound());
        mvc.perform(get("/v1/summaries")).andExpect(status().isUnauthorized());
    }
}
