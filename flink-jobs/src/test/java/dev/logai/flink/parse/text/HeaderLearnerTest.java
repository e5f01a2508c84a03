package dev.logai.flink.parse.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Header learning on a few lines; every header style of common systems is scored in tools' HeaderEvaluationTest. */
class HeaderLearnerTest {
    @Test
    void linesWithoutACommonHeaderHaveNone() {
        assertThat(HeaderLearner.learn(List.of("hello world", "another free text line", "no header here at all"), 0))
                .isEqualTo(HeaderShape.NONE);
        assertThat(HeaderLearner.learn(List.of(), 0)).isEqualTo(HeaderShape.NONE);
    }

    @Test
    void shapeSurvivesEncoding() {
        HeaderShape shape = HeaderLearner.learn(
                List.of(
                        "2024-01-01 10:00:00,001 INFO [main] o.a.Foo: started",
                        "2024-01-01 10:00:01,002 WARN [pool-1] o.a.Bar: slow",
                        "2024-01-01 10:00:02,003 ERROR [main] o.a.Foo: failed"),
                0);
        assertThat(shape.encode()).isEqualTo("T0 L B G");
        assertThat(HeaderShape.decode(shape.encode())).isEqualTo(shape);
    }
}
