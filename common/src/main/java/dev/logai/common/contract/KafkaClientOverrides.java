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
        String text = spec.strip(); // a trailing line break (a file-made secret) is not the line form
        boolean lines = text.indexOf('\n') >= 0;
        int position = 0;
        for (String entry : text.split(lines ? "\r?\n" : ";")) {
            position++;
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                // the entry itself is not quoted: it may hold part of a password
                throw new IllegalArgumentException("Kafka client property #" + position
                        + " is not of the form key=value (one per line, or separated by ';')");
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
