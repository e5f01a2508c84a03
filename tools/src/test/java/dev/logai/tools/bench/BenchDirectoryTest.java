package dev.logai.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchDirectoryTest {
    @Test
    void deletesTheWholeTree() throws Exception {
        Path dir = Files.createTempDirectory("logai-bench-test");
        Files.createDirectories(dir.resolve("stack/postgres/base"));
        Files.writeString(dir.resolve("stack/postgres/base/1"), "data");
        Files.writeString(dir.resolve("gateway.log"), "log");
        BenchDirectory.deleteTree(dir);
        assertThat(dir).doesNotExist();
        BenchDirectory.deleteTree(dir); // already gone: nothing to do
    }
}
