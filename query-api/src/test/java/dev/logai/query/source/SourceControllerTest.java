package dev.logai.query.source;

import static dev.logai.query.TestCallers.ORG_A;
import static dev.logai.query.TestCallers.READER;
import static dev.logai.query.TestCallers.WRITER;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.query.TestCallers;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The HTTP contract of /v1/sources over a mocked repository. */
@WebMvcTest(SourceController.class)
class SourceControllerTest {
    static final Source CHECKOUT =
            new Source("src_aaaa", "checkout", "production", null, Instant.parse("2024-03-01T10:00:00Z"));

    @Autowired
    MockMvc mvc;

    @MockitoBean
    SourceRepository sources;

    @MockitoBean
    ApiKeyAuthenticator authenticator;

    @MockitoBean
    dev.logai.query.retention.ArchiveObjects archive;

    @BeforeEach
    void keys() {
        TestCallers.stub(authenticator);
    }

    @Test
    void listsTheCallersSourcesInSnakeCase() throws Exception {
        when(sources.list(ORG_A)).thenReturn(List.of(CHECKOUT));
        mvc.perform(get("/v1/sources").header("Authorization", READER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].id").value("src_aaaa"))
                .andExpect(jsonPath("$.items[0].env").value("production"))
                .andExpect(jsonPath("$.items[0].parser_hint").isEmpty())
                .andExpect(jsonPath("$.items[0].created_at").value("2024-03-01T10:00:00Z"));
    }

    @Test
    void oneSourceShowsWhatWasCountedAndWhatCameTooLate() throws Exception {
        when(sources.detail(ORG_A, "src_aaaa"))
                .thenReturn(Optional.of(new SourceDetail(
                        "src_aaaa",
                        "checkout",
                        "production",
                        null,
                        java.time.Instant.parse("2024-03-01T10:00:00Z"),
                        1200,
                        7,
                        java.time.Instant.parse("2024-03-01T10:00:00Z"),
                        java.time.Instant.parse("2024-03-01T10:19:59Z"))));
        mvc.perform(get("/v1/sources/src_aaaa").header("Authorization", READER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value("src_aaaa"))
                .andExpect(jsonPath("$.line_count").value(1200))
                .andExpect(jsonPath("$.late_lines").value(7))
                .andExpect(jsonPath("$.last_line_at").value("2024-03-01T10:19:59Z"));
    }

    @Test
    void anotherOrgsSourceIsNotFound() throws Exception {
        when(sources.detail(ORG_A, "src_bbbb")).thenReturn(Optional.empty());
        mvc.perform(get("/v1/sources/src_bbbb").header("Authorization", READER))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Unknown source"))
                .andExpect(jsonPath("$.detail").value("Source 'src_bbbb' does not exist in your org."));
        mvc.perform(get("/v1/sources/not-an-id").header("Authorization", READER))
                .andExpect(status().isNotFound());
    }

    @Test
    void aMissingKeyIs401AndAReadOnlyKeyCannotCreate() throws Exception {
        mvc.perform(get("/v1/sources"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.detail").value(dev.logai.common.tenancy.ApiKeyAuthenticator.MISSING_KEY));
        mvc.perform(post("/v1/sources")
                        .header("Authorization", READER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"x\"}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.title").value("Missing scope"))
                .andExpect(jsonPath("$.detail")
                        .value("This API key lacks the 'write' scope needed here. Create a key with it"
                                + " (POST /v1/api-keys)."));
        verifyNoInteractions(sources);
    }

    @Test
    void createsWithDefaultsAndRefusesTakenNamesAndQuota() throws Exception {
        when(sources.create(ORG_A, "checkout", "production", null))
                .thenReturn(new SourceRepository.CreateResult.Created(CHECKOUT));
        mvc.perform(post("/v1/sources")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\" checkout \"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/v1/sources/src_aaaa"))
                .andExpect(jsonPath("$.name").value("checkout"));

        when(sources.create(any(), any(), any(), any())).thenReturn(new SourceRepository.CreateResult.NameTaken());
        mvc.perform(post("/v1/sources")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"again\"}"))
                .andExpect(status().isConflict());

        when(sources.create(any(), any(), any(), any()))
                .thenReturn(new SourceRepository.CreateResult.OverPlanLimit("free", 1));
        mvc.perform(post("/v1/sources")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"second\"}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail")
                        .value(org.hamcrest.Matchers.startsWith("Your 'free' plan allows 1 source(s).")));

        mvc.perform(post("/v1/sources")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("'name' is required and must be 1 to 200 characters."));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "job=%{INT:job|neither a format name",
                "%{NOSUCHPATTERN:x}|unknown Grok pattern %{NOSUCHPATTERN}",
                "(?<ts>unclosed|not a valid pattern",
                "xml|neither a format name",
                "job=%{INT} done|neither a format name",
            })
    void aParserHintThePipelineCouldNotUseIsRefusedWithTheReason(String hint, String reason) throws Exception {
        mvc.perform(post("/v1/sources")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"hinted\",\"parser_hint\":\"" + hint.replace("\\", "\\\\") + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(reason)));
        org.mockito.Mockito.verify(sources, org.mockito.Mockito.never()).create(any(), any(), any(), any());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "json",
                "CRI",
                "auto",
                "%{COMBINEDAPACHELOG}",
                "%{TIMESTAMP_ISO8601:timestamp} %{LOGLEVEL:level} %{GREEDYDATA:message}"
            })
    void formatNamesAndPatternsThatCaptureAreAccepted(String hint) throws Exception {
        when(sources.create(ORG_A, "hinted", "production", hint))
                .thenReturn(new SourceRepository.CreateResult.Created(CHECKOUT));
        mvc.perform(post("/v1/sources")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"hinted\",\"parser_hint\":\"" + hint + "\"}"))
                .andExpect(status().isCreated());
    }

    @Test
    void aBodyThatIsNotJsonIsA400SayingWhatToCheck() throws Exception {
        mvc.perform(post("/v1/sources")
                        .header("Authorization", WRITER)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": checkout}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Malformed request body"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("check its quotes")));
    }
}
