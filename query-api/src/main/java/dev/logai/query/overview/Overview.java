package dev.logai.query.overview;

import java.time.Instant;
import java.util.List;

/** Answer of {@code GET /v1/overview}: every source of the org over one range. */
public record Overview(Instant since, Instant until, long stepSeconds, List<SourceOverview> sources) {}
