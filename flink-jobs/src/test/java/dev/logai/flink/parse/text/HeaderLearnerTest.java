package dev.logai.flink.parse.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.eval.HeaderEvaluation;
import dev.logai.flink.eval.HeaderEvaluation.DatasetScore;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Header learning on the header styles of common systems (generated fixtures in
 * {@code header-styles/}, one folder per style in the Loghub-2k layout): the message after the
 * header is found on every line, with no configuration.
 */
class HeaderLearnerTest {
    @Test
    void everyHeaderStyleIsLearnedFromItsLines() throws Exception {
        List<DatasetScore> scores = HeaderEvaluation.evaluate(fixtures());
        assertThat(scores).hasSize(10);
        for (DatasetScore score : scores) {
            assertThat(score.messageAccuracy()).as(score.name() + " " + score.format()).isEqualTo(1.0);
            assertThat(score.timestampShare()).as(score.name()).isEqualTo(1.0);
        }
    }

    @Test
    void styleSpecificFieldsAreRecognised() throws Exception {
        List<DatasetScore> scores = HeaderEvaluation.evaluate(fixtures());
        DatasetScore log4j = scores.stream().filter(s -> s.name().equals("Log4jPattern")).findFirst().orElseThrow();
        assertThat(log4j.levelShare()).isEqualTo(1.0);
        assertThat(log4j.format()).contains("bracket level word dash");
    }

    @Test
    void linesWithoutACommonHeaderHaveNone() {
        assertThat(HeaderLearner.learn(List.of("hello world", "another free text line", "no header here at all"), 0))
                .isEqualTo(HeaderShape.NONE);
        assertThat(HeaderLearner.learn(List.of(), 0)).isEqualTo(HeaderShape.NONE);
    }

    @Test
    void shapeSurvivesEncoding() {
        HeaderShape shape = HeaderLearner.learn(List.of(
                "2024-01-01 10:00:00,001 INFO [main] o.a.Foo: started",
                "2024-01-01 10:00:01,002 WARN [pool-1] o.a.Bar: slow",
                "2024-01-01 10:00:02,003 ERROR [main] o.a.Foo: failed"), 0);
        assertThat(shape.encode()).isEqualTo("T0 L B G");
        assertThat(HeaderShape.decode(shape.encode())).isEqualTo(shape);
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(HeaderLearnerTest.class.getResource("/header-styles").toURI());
    }
}
