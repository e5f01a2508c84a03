package dev.logai.query.summary;

import static dev.logai.query.TestCallers.ORG_A;
import static dev.logai.query.TestCallers.READER;
import static dev.logai.query.TestCallers.WRITER;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.query.TestCallers;
import java.math.BigDecimal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The HTTP contract of /v1/ai/usage and /v1/ai/budget over a mocked repository. */
@WebMvcTest(AiUsageController.class)
class AiUsageControllerTest {
    static final AiUsage USAGE = new AiUsage(
            "2024-03-01", "team", new BigDecimal("12.5"), "org", true, new BigDecimal("1.25"), 3, 1, 0, 1000, 200);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    AiUsageRepository usage;

    @MockitoBean
    ApiKeyAuthenticator authenticator;

    @BeforeEach
    void keys() {
        TestCallers.stub(authenticator);
    }

    @Test
    void answersTheMonthsUsage() throws Exception {
        when(usage.usage(eq(ORG_A), any(), any())).thenReturn(USAGE);
        mvc.perform(get("/v1/ai/usage").header("Authorization", READER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.month").value("2024-03-01"))
                .andExpect(jsonPath("$.budget_usd").value(12.5))
                .andExpect(jsonPath("$.budget_source").value("org"))
                .andExpect(jsonPath("$.share_cache").value(true))
                .andExpect(jsonPath("$.spent_usd").value(1.25))
                .andExpect(jsonPath("$.llm_calls").value(3))
                .andExpect(jsonPath("$.tokens_out").value(200));
    }

    @Test
    void setsTheBudgetWithTheWriteScopeOnly() throws Exception {
        when(usage.usage(eq(ORG_A), any(), any())).thenReturn(USAGE);
        mvc.perform(put("/v1/ai/budget")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"monthly_usd\": 12.5, \"share_cache\": true}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.budget_usd").value(12.5));
        verify(usage).setBudget(ORG_A, new BigDecimal("12.5"), true);
    }

    @Test
    void refusesANegativeBudgetAndAReadOnlyKey() throws Exception {
        mvc.perform(put("/v1/ai/budget")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"monthly_usd\": -1}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail")
                        .value("monthly_usd must be between 0 and 1000000 (USD), or null for the plan's budget"));
        mvc.perform(put("/v1/ai/budget")
                        .header("Authorization", READER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"monthly_usd\": 1}"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/v1/ai/usage")).andExpect(status().isUnauthorized());
        verifyNoInteractions(usage);
    }
}
