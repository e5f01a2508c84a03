package dev.logai.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.tools.eval.HeaderEvaluation.DatasetScore;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Header learning on the header styles of common systems (generated fixtures in
 * {@code header-styles/}, one folder per style in the Loghub-2k layout): the message after the
 * header is found on every line, with no configuration.
 */
class HeaderEvaluationTest {
    @Test
    void everyHeaderStyleIsLearnedFromItsLines() throws Exception {
        List<DatasetScore> scores = HeaderEvaluation.evaluate(fixtures());
        assertThat(scores).hasSize(10);
        for (DatasetScore score : scores) {
            assertThat(score.messageAccuracy())
                    .as(score.name() + " " + score.format())
                    .isEqualTo(1.0);
            assertThat(score.timestampShare()).as(score.name()).isEqualTo(1.0);
        }
    }

    @Test
    void styleSpecificFieldsAreRecognised() throws Exception {
        List<DatasetScore> scores = HeaderEvaluation.evaluate(fixtures());
        DatasetScore log4j = scores.stream()
                .filter(s -> s.name().equals("Log4jPattern"))
                .findFirst()
                .orElseThrow();
        assertThat(log4j.levelShare()).isEqualTo(1.0);
        assertThat(log4j.format()).contains("bracket level word dash");
    }

    @Test
    void aFolderThatIsNotThereIsNamedWithWhatItShouldHold() throws Exception {
        assertThat(LoghubFiles.notADirectory("headers", fixtures())).isNull();
        Path missing = Path.of("no-such-loghub-folder");
        assertThat(LoghubFiles.notADirectory("headers", missing))
                .startsWith("logai eval headers: no directory " + missing.toAbsolutePath())
                .contains("<Name>/<Name>_2k.log");
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(HeaderEvaluationTest.class.getResource("/header-styles").toURI());
    }
}
