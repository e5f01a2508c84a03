package dev.logai.common.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Extra Kafka client properties from one setting ({@code LOGAI_KAFKA_CLIENT_PROPERTIES}), e.g.
 * {@code security.protocol=SASL_SSL;sasl.mechanism=SCRAM-SHA-512}, so managed Kafka (MSK, Confluent)
 * needs no code change. Entries are separated by ';' or newlines.
 */
public final class KafkaClientOverrides {
    private KafkaClientOverrides() {}

    public static Map<String, String> parse(String spec) {
        Map<String, String> result = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return result;
        }
        for (String entry : spec.split("[;\n]")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Kafka client property '" + trimmed
                        + "' is not of the form key=value (entries are separated by ';')");
            }
            result.put(
                    trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
        }
        return result;
    }
}
