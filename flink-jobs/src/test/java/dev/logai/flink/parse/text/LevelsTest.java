package dev.logai.flink.parse.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.ingest.LogLine;
import dev.logai.flink.parse.Level;
import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.parse.RecordParser;
import dev.logai.flink.parse.SourceParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Level words, including java.util.logging's under other locales, read from a learned header. */
class LevelsTest {
    @ParameterizedTest
    @CsvSource({
        "INFO,INFO", "Warning,WARN", "SEVERE,ERROR", "INFOS,INFO", "AVERTISSEMENT,WARN", "GRAVE,ERROR",
        "WARNUNG,WARN", "SCHWERWIEGEND,ERROR", "ADVERTENCIA,WARN", "AVVERTENZA,WARN", "警告,WARN", "情報,INFO",
        "严重,ERROR"
    })
    void wordsOfEachLocaleMapToTheirLevel(String word, Level level) {
        assertThat(Levels.of(word)).isEqualTo(level);
    }

    @ParameterizedTest
    @CsvSource({"INFOS,AVERTISSEMENT,GRAVE", "INFORMATION,WARNUNG,SCHWERWIEGEND", "INFO,ADVERTENCIA,GRAVE"})
    void aLocalisedTomcatLogGetsItsLevels(String info, String warn, String severe) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String level = i % 10 == 3 ? warn : i % 10 == 7 ? severe : info;
            lines.add(String.format(
                    "15-févr.-2019 18:%02d:%02d.585 %s [main] org.apache.catalina.startup.Catalina.start message %d",
                    54 + i / 20, i % 60, level, i));
        }
        SourceParser parser = new SourceParser(new RecordParser(), null);
        parser.learn(lines, 1_552_000_000_000L);
        List<Level> levels = new ArrayList<>();
        for (String l : lines) {
            LogRecord r = parser.parse(LogLine.ofText("org", "src", 1_552_000_000_000L, l));
            levels.add(r.level);
        }
        assertThat(levels).containsOnly(Level.INFO, Level.WARN, Level.ERROR);
        assertThat(levels.stream().filter(l -> l == Level.ERROR)).hasSize(3);
        assertThat(levels.stream().filter(l -> l == Level.WARN)).hasSize(3);
    }
}
