package dev.logai.query.search;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.ListQuery;
import dev.logai.query.Page;
import dev.logai.query.auth.RequiresScope;
import java.util.Arrays;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/search?q&source_id&since&until&limit}: the org's patterns, summaries, anomalies
 * and alerts whose text holds every word of {@code q}, newest first: {@code {"items":
 * [SearchHit...], "limit"}}. {@code q} is 2 to 200 characters and at most 8 words; another org's
 * source is 404.
 */
@RestController
class SearchController {
    static final int MAX_WORDS = 8;

    private final SearchRepository search;

    SearchController(SearchRepository search) {
        this.search = search;
    }

    @GetMapping("/v1/search")
    Page<SearchHit> search(
            @RequiresScope(Permissions.READ) ApiPrincipal caller,
            @RequestParam(name = "q", required = false) String q,
            ListQuery query) {
        List<String> words = words(q);
        int limit = Math.min(query.limit(), 200);
        return new Page<>(search.search(caller.orgId(), words, query.sourceId(), query.range(), limit), limit);
    }

    static List<String> words(String q) {
        String text = q == null ? "" : q.strip();
        if (text.length() < 2 || text.length() > 200) {
            throw ApiProblem.badRequest("'q' must be 2 to 200 characters, e.g. q=timeout.");
        }
        List<String> words =
                Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.size() > MAX_WORDS) {
            throw ApiProblem.badRequest("'q' may hold at most " + MAX_WORDS + " words; got " + words.size() + ".");
        }
        return words;
    }
}
