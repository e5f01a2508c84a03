package dev.logai.common.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaClientOverridesTest {

    @Test
    void semicolonFormKeepsOrderAndGivesTheJaasConfigItsClosingSemicolon() {
        assertThat(KafkaClientOverrides.parse("security.protocol=SASL_SSL; sasl.mechanism=AWS_MSK_IAM;"
                        + "sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;"
                        + "sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler"))
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("security.protocol", "SASL_SSL"),
                        org.assertj.core.api.Assertions.entry("sasl.mechanism", "AWS_MSK_IAM"),
                        org.assertj.core.api.Assertions.entry(
                                "sasl.jaas.config", "software.amazon.msk.auth.iam.IAMLoginModule required;"),
                        org.assertj.core.api.Assertions.entry(
                                "sasl.client.callback.handler.class",
                                "software.amazon.msk.auth.iam.IAMClientCallbackHandler"));
    }

    @Test
    void lineFormKeepsSemicolonsInsideValues() {
        String jaas =
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a;b\" password=\"p\";";
        assertThat(KafkaClientOverrides.parse("security.protocol=SASL_SSL\r\nsasl.jaas.config=" + jaas + "\n\n"))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", jaas)
                .hasSize(2);
    }

    @Test
    void blankIsNothingAndAnEntryWithoutKeyIsRefusedByName() {
        assertThat(KafkaClientOverrides.parse(null)).isEmpty();
        assertThat(KafkaClientOverrides.parse("  ")).isEmpty();
        assertThatThrownBy(() -> KafkaClientOverrides.parse("security.protocol=SSL;password-oops"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#2")
                .hasMessageNotContaining("oops");
        assertThat(KafkaClientOverrides.parse("security.protocol=SASL_SSL;sasl.mechanism=PLAIN\n"))
                .as("a trailing line break keeps the ';' form")
                .containsEntry("sasl.mechanism", "PLAIN")
                .hasSize(2);
        assertThatThrownBy(() -> KafkaClientOverrides.parse("=SSL")).isInstanceOf(IllegalArgumentException.class);
    }
}
