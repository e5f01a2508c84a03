package dev.logai.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's working directory (a local stack's Postgres and Kafka data, service logs): created
 * under the system's temporary directory and deleted with everything in it when the JVM exits, so
 * repeated {@code ./logai bench …} runs do not fill the disk (a stack's data is gigabytes). Set
 * {@code LOGAI_BENCH_KEEP=1} to keep it for a post-mortem; its path is printed then.
 */
final class BenchDirectory {
    private BenchDirectory() {}

    /**
     * @param prefix the directory name's start, e.g. {@code logai-bench-upload}
     * @return the new, empty directory
     * @throws IOException if it cannot be created
     */
    static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        if ("1".equals(System.getenv("LOGAI_BENCH_KEEP"))) {
            System.err.println("LOGAI_BENCH_KEEP=1: the benchmark's files stay in " + dir);
            return dir;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete " + dir.getFileName()));
        return dir;
    }

    /** Deletes {@code dir} and everything under it, best effort (a file that cannot go stays). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
