package dev.logai.localstack;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EmbeddedS3} in a child JVM, for the tests of Spring services: s3proxy brings its own
 * Jetty, Guava and jclouds, which a Spring Boot test classpath cannot hold beside its own. The child
 * runs this module's jar with its runtime classpath ({@code target/classpath.txt}, written at
 * package time) and ends when the parent closes it or exits.
 */
public final class EmbeddedS3Process implements AutoCloseable {
    private static final String READY = "s3 ready ";

    private final Process process;
    private final String endpoint;

    private EmbeddedS3Process(Process process, String endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /**
     * Starts an object store with {@code buckets} on a free port of 127.0.0.1.
     *
     * @throws IllegalStateException when this module's classpath file is missing (build it with
     *     {@code mvn package}) or the child does not come up within 60 s
     */
    public static EmbeddedS3Process start(String... buckets) throws Exception {
        Path codeSource = Path.of(EmbeddedS3.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path target = codeSource.getParent();
        Path classpathFile = target.resolve("classpath.txt");
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException("No " + classpathFile + ": package the local-stack module first");
        }
        String classpath = codeSource
                + java.io.File.pathSeparator
                + Files.readString(classpathFile).strip();
        Path dir = Files.createTempDirectory("logai-s3");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                classpath,
                Main.class.getName(),
                dir.toString()));
        command.addAll(List.of(buckets));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            if (line.startsWith(READY)) {
                String endpoint = line.substring(READY.length()).strip();
                Thread drain = new Thread(
                        () -> {
                            try {
                                while (out.readLine() != null) {
                                    // keep the child's output pipe from filling up
                                }
                            } catch (Exception ignored) {
                                // the child ended
                            }
                        },
                        "s3-child-output");
                drain.setDaemon(true);
                drain.start();
                EmbeddedS3Process started = new EmbeddedS3Process(process, endpoint);
                Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
                return started;
            }
            seen.append(line).append('\n');
            if (System.nanoTime() > deadline) break;
        }
        process.destroyForcibly();
        throw new IllegalStateException("The object store did not start:\n" + seen);
    }

    /** {@code http://127.0.0.1:port}. */
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The child: {@code Main DIR BUCKET…} prints {@code s3 ready <endpoint>} and runs until stdin closes. */
    public static final class Main {
        private Main() {}

        public static void main(String[] args) throws Exception {
            String[] buckets = java.util.Arrays.copyOfRange(args, 1, args.length);
            try (EmbeddedS3 s3 = EmbeddedS3.start(Path.of(args[0]), 0, buckets)) {
                System.out.println(READY + s3.endpoint());
                System.out.flush();
                // the parent holds our stdin; when it exits or closes us, read() returns -1
                while (System.in.read() >= 0) {
                    // nothing to read: the parent never writes
                }
            }
        }
    }
}
