package dev.logai.query.pattern;

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

/** The HTTP contract of /v1/patterns over a mocked repository. */
@WebMvcTest(PatternController.class)
@EnableConfigurationProperties(QuerySettings.class) // the list bounds, from application.yml
class PatternControllerTest {
    static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    @Autowired
    MockMvc mvc;

    @MockitoBean
    PatternRepository patterns;

    @MockitoBean
    ApiKeyAuthenticator authenticator;

    @BeforeEach
    void keys() {
        TestCallers.stub(authenticator);
    }

    @Test
    void answersPatternsWithTheirWindowCounts() throws Exception {
        when(patterns.list(eq(ORG_A), any()))
                .thenReturn(List.of(new PatternRow(
                        "src_aaaa",
                        "00000000000000a1",
                        "Failed password for <*>",
                        T0,
                        T0.plusSeconds(119),
                        12,
                        9,
                        true,
                        List.of(),
                        null,
                        List.of(new PatternRow.WindowCount(T0.plusSeconds(60), 9, 1)))));
        mvc.perform(get("/v1/patterns").header("Authorization", READER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.limit").value(500))
                .andExpect(jsonPath("$.items[0].template_id").value("00000000000000a1"))
                .andExpect(jsonPath("$.items[0].first_seen").value("2024-03-01T10:00:00Z"))
                .andExpect(jsonPath("$.items[0].total_count").value(12))
                .andExpect(jsonPath("$.items[0].count").value(9))
                .andExpect(jsonPath("$.items[0].is_new").value(true))
                .andExpect(jsonPath("$.items[0].windows[0].window_start").value("2024-03-01T10:01:00Z"))
                .andExpect(jsonPath("$.items[0].windows[0].error_count").value(1));
    }

    @Test
    void anotherOrgsSourceIsNotFoundAndAMissingKeyUnauthorized() throws Exception {
        when(patterns.list(eq(ORG_A), any())).thenThrow(SourceChecks.unknown("src_bbbb"));
        mvc.perform(get("/v1/patterns?source_id=src_bbbb").header("Authorization", READER))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Unknown source"));
        mvc.perform(get("/v1/patterns"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.status").value(401));
    }
}
