package dev.logai.flink.parse.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerLineTest {
    private final ContainerLine line = new ContainerLine();

    @Test
    void criLinesGiveTimeStreamTagAndContent() {
        assertThat(line.read("2024-05-14T09:12:03.121000123Z stdout F 2024-05-14 09:12:03,120 INFO started"))
                .isTrue();
        assertThat(line.runtime).isEqualTo(ContainerLine.Runtime.CRI);
        assertThat(Instant.ofEpochMilli(line.timeMillis)).isEqualTo(Instant.parse("2024-05-14T09:12:03.121Z"));
        assertThat(line.stream).isEqualTo("stdout");
        assertThat(line.partial).isFalse();
        assertThat(line.content).isEqualTo("2024-05-14 09:12:03,120 INFO started");

        assertThat(line.read("2024-05-14T09:12:18.121037123+02:00 stderr P  payload={\"a\":1"))
                .isTrue();
        assertThat(line.stream).isEqualTo("stderr");
        assertThat(line.partial).isTrue();
        assertThat(line.content).isEqualTo(" payload={\"a\":1"); // a chunk keeps its leading blank
        assertThat(Instant.ofEpochMilli(line.timeMillis)).isEqualTo(Instant.parse("2024-05-14T07:12:18.121Z"));
    }

    @Test
    void anEmptyCriLineAndFurtherTagsAreRead() {
        assertThat(line.read("2024-05-14T10:00:50.600022412Z stderr F")).isTrue();
        assertThat(line.content).isEmpty();
        assertThat(line.read("2024-05-14T10:00:50.600022412Z stdout F:x hello")).isTrue();
        assertThat(line.content).isEqualTo("hello");
    }

    @Test
    void dockerJsonFileLinesGiveTheirLogWithoutTheNewline() {
        assertThat(
                        line.read(
                                "{\"log\":\"\\u001b[34mINFO\\u001b[0m ready\\n\",\"stream\":\"stderr\",\"time\":\"2021-03-22T10:07:30.120000427Z\"}"))
                .isTrue();
        assertThat(line.runtime).isEqualTo(ContainerLine.Runtime.DOCKER);
        assertThat(line.stream).isEqualTo("stderr");
        assertThat(line.partial).isFalse();
        assertThat(line.content).isEqualTo("\u001b[34mINFO\u001b[0m ready");
        assertThat(Instant.ofEpochMilli(line.timeMillis)).isEqualTo(Instant.parse("2021-03-22T10:07:30.120Z"));

        assertThat(
                        line.read(
                                "{\"log\":\"cut here\",\"stream\":\"stdout\",\"attrs\":{\"tag\":\"x\"},\"time\":\"2021-03-22T10:07:30Z\"}"))
                .isTrue();
        assertThat(line.partial).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2024-05-14 09:12:03,120 INFO stdout F looks close",
                "2024-05-14T09:12:03.121Z stdin F content",
                "2024-05-14T09:12:03.121Z stdout X content",
                "2024-05-14T09:12:03.121Z stdout Fcontent",
                "{\"log\":\"x\\n\",\"level\":\"info\",\"time\":\"2021-03-22T10:07:30Z\"}",
                "{\"log\":\"x\\n\",\"stream\":\"stdout\"}",
                "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"yesterday\"}",
                "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2021-03-22T10:07:30Z\"} trailing",
                "plain text line",
            })
    void otherLinesAreNotContainerLines(String text) {
        assertThat(line.read(text)).as(text).isFalse();
    }
}
