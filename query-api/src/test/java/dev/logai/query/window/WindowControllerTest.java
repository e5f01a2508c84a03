package dev.logai.query.window;

import static dev.logai.query.TestCallers.ORG_A;
import static dev.logai.query.TestCallers.READER;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.query.ListQuery;
import dev.logai.query.QuerySettings;
import dev.logai.query.SourceChecks;
import dev.logai.query.TestCallers;
import dev.logai.query.TimeRange;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The HTTP contract of /v1/windows over a mocked repository. */
@WebMvcTest(WindowController.class)
@EnableConfigurationProperties(QuerySettings.class) // the list bounds, from application.yml
class WindowControllerTest {
    static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    WindowRepository windows;

    @MockitoBean
    ApiKeyAuthenticator authenticator;

    @BeforeEach
    void keys() {
        TestCallers.stub(authenticator);
    }

    @Test
    void answersWindowsAsTheOpenApiFileDescribesThem() throws Exception {
        Map<String, Long> levels = new java.util.LinkedHashMap<>();
        WindowRepository.LEVELS.forEach(l -> levels.put(l, l.equals("error") ? 4L : 0L));
        WindowStatsRow row = new WindowStatsRow(
                "src_aaaa",
                T0,
                T0.plusSeconds(60),
                20,
                levels,
                0.2,
                T0.plusSeconds(1),
                T0.plusSeconds(59),
                true,
                3,
                T0.plusSeconds(61),
                12L,
                80.0,
                310.5);
        ListQuery expected = new ListQuery("src_aaaa", new TimeRange(T0, null), 10);
        when(windows.list(ORG_A, expected)).thenReturn(List.of(row));
        mvc.perform(get("/v1/windows?source_id=src_aaaa&since=2024-03-01T10:00:00Z&limit=10")
                        .header("Authorization", READER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.limit").value(10))
                .andExpect(jsonPath("$.items[0].source_id").value("src_aaaa"))
                .andExpect(jsonPath("$.items[0].window_start").value("2024-03-01T10:00:00Z"))
                .andExpect(jsonPath("$.items[0].line_count").value(20))
                .andExpect(jsonPath("$.items[0].levels.error").value(4))
                .andExpect(jsonPath("$.items[0].levels.unknown").value(0))
                .andExpect(jsonPath("$.items[0].error_rate").value(0.2))
                .andExpect(jsonPath("$.items[0].is_final").value(true))
                .andExpect(jsonPath("$.items[0].late_lines").value(3))
                .andExpect(jsonPath("$.items[0].updated_at").value("2024-03-01T10:01:01Z"))
                .andExpect(jsonPath("$.items[0].latency_count").value(12))
                .andExpect(jsonPath("$.items[0].latency_p95_ms").value(310.5));
    }

    @Test
    void theDefaultLimitApplies() throws Exception {
        when(windows.list(eq(ORG_A), any())).thenReturn(List.of());
        mvc.perform(get("/v1/windows").header("Authorization", READER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.limit").value(500))
                .andExpect(jsonPath("$.items").isEmpty());
    }

    @Test
    void anotherOrgsSourceIsNotFound() throws Exception {
        when(windows.list(eq(ORG_A), any())).thenThrow(SourceChecks.unknown("src_bbbb"));
        mvc.perform(get("/v1/windows?source_id=src_bbbb").header("Authorization", READER))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("Source 'src_bbbb' does not exist in your org."));
    }

    @Test
    void badParametersAre400AndAMissingKey401BeforeAnyQuery() throws Exception {
        mvc.perform(get("/v1/windows?since=yesterday").header("Authorization", READER))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("ISO-8601")));
        mvc.perform(get("/v1/windows?since=9223372036854775807").header("Authorization", READER))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("must be between")));
        mvc.perform(get("/v1/windows?until=-4714-11-24T00:00:00Z").header("Authorization", READER))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/v1/windows?limit=2147483648").header("Authorization", READER))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("whole number")));
        mvc.perform(get("/v1/windows?limit=0").header("Authorization", READER))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("'limit' must be between 1 and 10000; got 0."));
        mvc.perform(get("/v1/windows")).andExpect(status().isUnauthorized());
        verifyNoInteractions(windows);
    }
}
