package dev.logai.localstack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real local stack (Kafka, Postgres and, where asked, the object store) per test JVM: starting
 * a broker and a database takes seconds, so test classes share it and isolate themselves by
 * creating their own orgs, sources and topics.
 */
public final class SharedLocalStack {
    private static LocalStack stack;

    private SharedLocalStack() {}

    public static synchronized LocalStack get(boolean withObjectStore) {
        if (stack != null && (stack.s3 != null || !withObjectStore)) {
            return stack;
        }
        if (stack != null) {
            throw new IllegalStateException("The shared stack was started without an object store");
        }
        try {
            Path dir = Files.createTempDirectory("logai-test-stack");
            stack = LocalStack.start(
                    dir, LocalStack.Ports.any(), "test-app-password", LocalStack.randomPassword(), withObjectStore);
            LocalStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (Exception ignored) {
                    // the JVM is exiting; the temp directory goes with the test run
                }
            }));
            return stack;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the local test stack", e);
        }
    }
}
