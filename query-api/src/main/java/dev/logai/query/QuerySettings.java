package dev.logai.query;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code logai.query.*}: result-size bounds, so no request can ask for an unbounded scan. */
@ConfigurationProperties(prefix = "logai.query")
public record QuerySettings(int defaultLimit, int maxLimit) {}
