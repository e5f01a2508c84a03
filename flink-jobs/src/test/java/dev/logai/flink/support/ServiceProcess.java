package dev.logai.flink.support;

import dev.logai.localstack.FreePorts;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A LogAi service started from its real executable jar, as in production, configured only through
 * environment variables. Its output goes to a file that is printed if it fails to become healthy.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the jar named by system property {@code jarProperty}; {@code portVariable} gets a free port. */
    public static ServiceProcess start(String jarProperty, String portVariable, Map<String, String> env)
            throws Exception {
        String jar = System.getProperty(jarProperty);
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException(
                    "Service jar '" + jar + "' (system property " + jarProperty + ") is missing:"
                            + " run the build from the repository root (mvn verify) so the service modules are packaged first.");
        }
        int port = FreePorts.pick();
        Path log = Files.createTempFile(new File(jar).getName(), ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar", jar)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put(portVariable, String.valueOf(port));
        // LOGAI_GATEWAY_PORT → LOGAI_GATEWAY_MANAGEMENT_PORT: actuator on a free port of its own
        builder.environment()
                .put(portVariable.replaceFirst("_PORT$", "_MANAGEMENT_PORT"), String.valueOf(FreePorts.pick()));
        builder.environment().put("LOGAI_BIND_ADDRESS", "127.0.0.1");
        ServiceProcess service = new ServiceProcess(builder.start(), port, log);
        service.awaitReady(Duration.ofSeconds(90));
        return service;
    }

    private void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Service exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("Service did not become healthy in " + timeout + ":\n" + Files.readString(log));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
