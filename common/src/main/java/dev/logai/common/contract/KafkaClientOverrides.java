package dev.logai.common.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Extra Kafka client properties from one setting ({@code LOGAI_KAFKA_CLIENT_PROPERTIES}), so managed
 * Kafka (MSK with IAM or SCRAM, Confluent) needs no code change.
 *
 * <p>Format: {@code key=value} entries, one per line; or, when the setting has no line break,
 * separated by ';' ({@code security.protocol=SASL_SSL;sasl.mechanism=SCRAM-SHA-512}). A JAAS
 * configuration ends with ';' itself, which the ';' form cannot carry: there, a {@code
 * sasl.jaas.config} value gets its closing ';' back. Use lines for a value with ';' inside it.
 * MSK IAM works as shipped: {@code aws-msk-iam-auth} is on every service's and the job's classpath.
 */
public final class KafkaClientOverrides {
    private static final String JAAS_CONFIG = "sasl.jaas.config";

    private KafkaClientOverrides() {}

    /**
     * @param spec the setting's text; null or blank gives no properties
     * @return the properties in their order
     * @throws IllegalArgumentException for an entry that is not {@code key=value}
     */
    public static Map<String, String> parse(String spec) {
        Map<String, String> result = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return result;
        }
        boolean lines = spec.indexOf('\n') >= 0;
        for (String entry : spec.split(lines ? "\r?\n" : ";")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Kafka client property '" + trimmed
                        + "' is not of the form key=value (one per line, or separated by ';')");
            }
            String key = trimmed.substring(0, eq).trim();
            String value = trimmed.substring(eq + 1).trim();
            if (!lines && key.equals(JAAS_CONFIG) && !value.endsWith(";")) {
                value = value + ";";
            }
            result.put(key, value);
        }
        return result;
    }
}
