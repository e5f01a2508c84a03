package dev.logai.flink.runtime;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's Prometheus reporter for local runs ({@code ./logai up}), served on one address instead of
 * every interface: Flink's own {@code PrometheusReporter} takes a port but no host, and a machine's
 * local services listen on 127.0.0.1 only.
 *
 * <p>The metrics are Flink's, unchanged: {@link AbstractPrometheusReporter} names and labels them
 * ({@code flink_<scope>_<name>{job_name, task_name, …}}) exactly as on a cluster, where the image's
 * {@code PrometheusReporterFactory} serves them (k8s/, deploy/docker/flink). Settings
 * ({@code metrics.reporter.<name>.*}): {@code host} (default 127.0.0.1) and {@code port} (required).
 * The reporter library is a plugin of the Flink distribution, so this class is used only where it
 * is on the classpath (the local runtime's), never loaded from the job jar on a cluster.
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {

    /**
     * @param properties the reporter's {@code metrics.reporter.<name>.*} settings
     * @return a reporter whose endpoint {@code http://host:port/metrics} starts when Flink opens it
     * @throws IllegalArgumentException without a port 1–65535
     */
    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        MetricConfig config = (MetricConfig) properties;
        String host = config.getString("host", "127.0.0.1");
        int port = config.getInteger("port", 0);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("metrics reporter port must be 1-65535, was " + port);
        }
        return new LoopbackPrometheusReporter(new InetSocketAddress(host, port));
    }

    /** Flink's Prometheus collectors, exported over HTTP on one socket address. */
    static final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
        private final InetSocketAddress address;
        private HTTPServer server;

        LoopbackPrometheusReporter(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public void open(MetricConfig config) {
            super.open(config);
            try {
                server = new HTTPServer(address, registryOf(this), true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve Flink's metrics on " + address, e);
            }
            log.info("Flink's metrics on http://{}:{}/metrics", address.getHostString(), address.getPort());
        }

        @Override
        public void close() {
            if (server != null) {
                server.stop();
            }
            super.close();
        }

        /**
         * The reporter's collector registry: a package-private field of {@link
         * AbstractPrometheusReporter} (Flink 2.2), read once at open. A Flink upgrade that renames it
         * fails here, at start, and in JobMetricsITCase.
         */
        private static CollectorRegistry registryOf(AbstractPrometheusReporter reporter) {
            try {
                Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
                field.setAccessible(true);
                return (CollectorRegistry) field.get(reporter);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Flink's AbstractPrometheusReporter has no registry field", e);
            }
        }
    }
}
