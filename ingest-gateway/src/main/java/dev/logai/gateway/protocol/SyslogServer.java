package dev.logai.gateway.protocol;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiProblem;
import dev.logai.common.web.FailedAuthLimiter;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Syslog listeners: TCP (octet-counted or LF-framed, RFC 6587), TLS over TCP (RFC 5425, when a
 * keystore is configured) and UDP (RFC 5426), for RFC 5424 and RFC 3164 messages, on the ports the
 * operator sets ({@code LOGAI_SYSLOG_TCP_PORT}, {@code LOGAI_SYSLOG_TLS_PORT}, {@code
 * LOGAI_SYSLOG_UDP_PORT}; 0 = off). Lines are stored as received (the pipeline parses syslog),
 * without LogAi's credential element ({@link SyslogFrames}).
 *
 * <p>Who may write (syslog has no request headers): a message is written with the API key in its
 * {@code [logai@… key="…"]} element, else with the listener's own key ({@code LOGAI_SYSLOG_KEY}: the
 * operator binds the port to one org and, with a source-scoped key, one source). A message with
 * neither, with a LogAi element that has no readable key, or with a key that is unknown, revoked or
 * lacks the ingest scope, is dropped and counted ({@link #dropped}); nothing is ever written to an
 * org without its key. Keys are checked as messages arrive, so nothing of an unknown key is held,
 * and an address that keeps presenting unknown keys is blocked as an HTTP client would be. Source:
 * the element's {@code source}, else {@code LOGAI_SYSLOG_SOURCE}, else {@code syslog} ({@link
 * SourceRouter}).
 *
 * <p>Bounds: at most {@code LOGAI_SYSLOG_MAX_CONNECTIONS} connections (500), {@code
 * LOGAI_SYSLOG_MAX_CONNECTIONS_PER_ADDRESS} from one address (50), each closed after {@code
 * LOGAI_SYSLOG_IDLE_TIMEOUT} without data (10 min), each holding at most about {@value
 * #FLUSH_BYTES} bytes of lines before it writes them.
 *
 * <p>Delivery: each connection gathers its lines and writes them through {@link ShipperIngest} (the
 * same limits, quota and Kafka write as HTTP) every {@value #FLUSH_LINES} lines, every {@value
 * #FLUSH_MILLIS} ms and when the connection ends. Syslog has no acknowledgement: lines a limit or
 * quota refuses are dropped and counted, with a warning in the gateway's log at most once a minute.
 */
@Component
public class SyslogServer implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SyslogServer.class);
    static final int FLUSH_LINES = 1000;
    static final long FLUSH_MILLIS = 250;
    /** Bytes (in memory, as strings) a connection gathers before it writes them. */
    static final long FLUSH_BYTES = 1024 * 1024;

    private final ShipperIngest ingest;
    private final ApiKeyAuthenticator keys;
    private final String bindAddress;
    private final int tcpPort;
    private final int tlsPort;
    private final int udpPort;
    private final String keystore;
    private final String keystorePassword;
    private final String defaultKey;
    private final String defaultSource;
    private final Semaphore connections;
    private final int maxConnections;
    private final int maxPerAddress;
    private final long idleTimeoutMillis;
    private final FailedAuthLimiter failures;
    private final Map<String, Integer> perAddress = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "syslog");
        t.setDaemon(true);
        return t;
    });
    private final List<AutoCloseable> listeners = new ArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running;
    private volatile int boundTcpPort;
    private volatile int boundUdpPort;
    private volatile int boundTlsPort;

    SyslogServer(
            ShipperIngest ingest,
            ApiKeyAuthenticator keys,
            @Value("${server.address:127.0.0.1}") String bindAddress,
            @Value("${logai.syslog.tcp-port:0}") int tcpPort,
            @Value("${logai.syslog.tls-port:0}") int tlsPort,
            @Value("${logai.syslog.udp-port:0}") int udpPort,
            @Value("${logai.syslog.tls-keystore:}") String keystore,
            @Value("${logai.syslog.tls-keystore-password:}") String keystorePassword,
            @Value("${logai.syslog.key:}") String defaultKey,
            @Value("${logai.syslog.source:syslog}") String defaultSource,
            @Value("${logai.syslog.max-connections:500}") int maxConnections,
            @Value("${logai.syslog.max-connections-per-address:50}") int maxPerAddress,
            @Value("${logai.syslog.idle-timeout:10m}") java.time.Duration idleTimeout,
            @Value("${logai.auth.failed-per-ip-per-minute:60}") int failuresPerMinute,
            org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        this.ingest = ingest;
        this.keys = keys;
        this.bindAddress = bindAddress;
        this.tcpPort = tcpPort;
        this.tlsPort = tlsPort;
        this.udpPort = udpPort;
        this.keystore = keystore;
        this.keystorePassword = keystorePassword;
        this.defaultKey = defaultKey == null || defaultKey.isBlank() ? null : defaultKey.strip();
        this.defaultSource = defaultSource;
        this.connections = new Semaphore(maxConnections);
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.idleTimeoutMillis = idleTimeout.toMillis();
        this.failures = new FailedAuthLimiter(failuresPerMinute, java.time.Duration.ofMinutes(1));
        // logai_syslog_lines_total{outcome}: what was written, and what was dropped (no or a bad
        // key, a limit, the quota, Kafka) — syslog has no answer to carry a refusal
        meters.ifAvailable(registry -> {
            io.micrometer.core.instrument.FunctionCounter.builder("logai.syslog.lines", accepted, AtomicLong::get)
                    .tag("outcome", "accepted")
                    .description("syslog lines written to Kafka")
                    .register(registry);
            io.micrometer.core.instrument.FunctionCounter.builder("logai.syslog.lines", dropped, AtomicLong::get)
                    .tag("outcome", "dropped")
                    .description("syslog lines dropped: no or an unknown key, a limit, the quota or Kafka")
                    .register(registry);
        });
    }

    /** Lines written to Kafka since start. */
    public long accepted() {
        return accepted.get();
    }

    /** Lines dropped since start: no or an invalid key, or refused by a limit, the quota or Kafka. */
    public long dropped() {
        return dropped.get();
    }

    /** The TCP port listened on (the chosen one when configured as -1: any free port), 0 when off. */
    public int tcpPort() {
        return boundTcpPort;
    }

    /** The UDP port listened on, 0 when off. */
    public int udpPort() {
        return boundUdpPort;
    }

    /** The TLS port listened on, 0 when off. */
    public int tlsPort() {
        return boundTlsPort;
    }

    @Override
    public void start() {
        running = true;
        try {
            InetAddress address = InetAddress.getByName(bindAddress);
            if (tcpPort != 0) {
                ServerSocket server = new ServerSocket();
                server.bind(new InetSocketAddress(address, Math.max(tcpPort, 0)));
                boundTcpPort = server.getLocalPort();
                listen(server, "tcp");
            }
            if (tlsPort != 0) {
                ServerSocket server = tlsContext().getServerSocketFactory().createServerSocket();
                server.bind(new InetSocketAddress(address, Math.max(tlsPort, 0)));
                boundTlsPort = server.getLocalPort();
                listen(server, "tls");
            }
            if (udpPort != 0) {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, Math.max(udpPort, 0)));
                socket.setReceiveBufferSize(4 * 1024 * 1024);
                boundUdpPort = socket.getLocalPort();
                listeners.add(socket);
                workers.execute(() -> receive(socket));
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not open the syslog listeners: " + e.getMessage(), e);
        }
        if (boundTcpPort + boundTlsPort + boundUdpPort > 0) {
            LOG.info(
                    "Syslog listening on {} (tcp {}, tls {}, udp {}; 0 = off)",
                    bindAddress,
                    boundTcpPort,
                    boundTlsPort,
                    boundUdpPort);
        }
    }

    private SSLContext tlsContext() throws Exception {
        if (keystore == null || keystore.isBlank()) {
            throw new IllegalStateException("LOGAI_SYSLOG_TLS_PORT needs LOGAI_SYSLOG_TLS_KEYSTORE (a PKCS12 file)");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(keystore))) {
            store.load(in, keystorePassword.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, keystorePassword.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private void listen(ServerSocket server, String kind) {
        listeners.add(server);
        workers.execute(() -> {
            while (running) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    if (running) {
                        LOG.warn("Syslog {} accept failed: {}", kind, e.getMessage());
                    }
                    continue;
                }
                String address = socket.getInetAddress().getHostAddress();
                if (!connections.tryAcquire()) {
                    warnOnce(
                            "connections",
                            "syslog " + kind + ": refusing a connection, all " + maxConnections
                                    + " connections are open");
                    closeQuietly(socket);
                    continue;
                }
                if (perAddress.merge(address, 1, Integer::sum) > maxPerAddress) {
                    perAddress.merge(address, -1, Integer::sum);
                    connections.release();
                    warnOnce(
                            "per-address",
                            "syslog " + kind + ": refusing a connection from an address with " + maxPerAddress
                                    + " open");
                    closeQuietly(socket);
                    continue;
                }
                workers.execute(() -> {
                    try {
                        serve(socket, address);
                    } finally {
                        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
                        connections.release();
                        closeQuietly(socket);
                    }
                });
            }
        });
    }

    /**
     * Reads one TCP connection to its end (or until it idles past the idle timeout, or its address
     * is blocked for failed keys), flushing its lines as they gather.
     */
    private void serve(Socket socket, String address) {
        Batch batch = new Batch(address);
        long lastData = System.currentTimeMillis();
        try (InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024)) {
            socket.setSoTimeout((int) FLUSH_MILLIS);
            SyslogFrames.Reader frames = new SyslogFrames.Reader(in, ingest.maxLineBytes());
            while (running && !batch.closed) {
                byte[] frame;
                try {
                    frame = frames.next();
                } catch (java.net.SocketTimeoutException pause) {
                    // the reader keeps a frame split by the pause; lines gathered so far go out
                    batch.flushIfDue();
                    if (System.currentTimeMillis() - lastData > idleTimeoutMillis) {
                        break;
                    }
                    continue;
                }
                if (frame == null) {
                    break;
                }
                lastData = System.currentTimeMillis();
                batch.add(frame, frame.length);
                batch.flushIfDue();
            }
        } catch (IOException e) {
            LOG.debug("Syslog connection ended: {}", e.getMessage());
        } finally {
            batch.flush();
        }
    }

    private void receive(DatagramSocket socket) {
        byte[] buffer = new byte[65_535];
        Map<String, Batch> batches = new LinkedHashMap<>();
        try {
            socket.setSoTimeout((int) FLUSH_MILLIS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (java.net.SocketTimeoutException idle) {
                batches.values().forEach(Batch::flushIfDue);
                batches.values().removeIf(b -> b.count == 0);
                continue;
            } catch (IOException e) {
                if (running) {
                    LOG.warn("Syslog udp receive failed: {}", e.getMessage());
                }
                continue;
            }
            int length = packet.getLength();
            while (length > 0
                    && (buffer[length - 1] == '\n' || buffer[length - 1] == '\r' || buffer[length - 1] == 0)) {
                length--;
            }
            if (length > 0) {
                String address = packet.getAddress().getHostAddress();
                Batch batch = batches.get(address);
                if (batch == null) {
                    if (batches.size() >= maxPerAddress * 20) {
                        batches.values().forEach(Batch::flush);
                        batches.clear();
                    }
                    batch = new Batch(address);
                    batches.put(address, batch);
                }
                batch.add(buffer, Math.min(length, ingest.maxLineBytes()));
                batch.flushIfDue();
            }
        }
        batches.values().forEach(Batch::flush);
    }

    /**
     * One connection's (or UDP sender's) lines not yet written, by (caller, source label). Keys are
     * checked as lines arrive (answers cached per batch), so nothing of an unknown key is held; a
     * sender that keeps presenting unknown keys is blocked like an HTTP client ({@link
     * FailedAuthLimiter}) and its connection closed.
     */
    private final class Batch {
        private final String address;
        private final Map<String, ApiPrincipal> callers = new java.util.HashMap<>();
        private final Map<String, List<String>> lines = new LinkedHashMap<>();
        private int count;
        private long bytes;
        private long firstAt;
        boolean closed;

        Batch(String address) {
            this.address = address;
        }

        void add(byte[] frame, int length) {
            SyslogFrames.Message m = SyslogFrames.credential(frame, length);
            if (m.malformedCredential()) {
                drop(
                        "malformed",
                        "a syslog message had a [logai@…] element without a readable key: dropped"
                                + " (never written with the listener's key)");
                return;
            }
            String key = m.key() != null ? m.key() : defaultKey;
            if (key == null) {
                drop(
                        "no key",
                        "a syslog message had no [logai@… key=\"…\"] element and the listener has no"
                                + " LOGAI_SYSLOG_KEY: dropped");
                return;
            }
            ApiPrincipal caller = callers.get(key);
            if (caller == null) {
                if (callers.size() >= 16 || failures.isBlocked(address)) {
                    drop("bad key", "syslog lines from an address blocked for unknown keys were dropped");
                    closed = failures.isBlocked(address);
                    return;
                }
                try {
                    caller = keys.authenticate("Bearer " + key);
                } catch (ApiProblem e) {
                    failures.recordFailure(address);
                    drop(
                            "bad key",
                            "syslog lines with an unknown or revoked key were dropped (" + e.getMessage() + ")");
                    return;
                }
                callers.put(key, caller);
            }
            String label = m.source() != null ? m.source() : defaultSource;
            if (count == 0) {
                firstAt = System.currentTimeMillis();
            }
            lines.computeIfAbsent(caller.keyId() + "\0" + label, k -> new ArrayList<>())
                    .add(m.line());
            count++;
            bytes += m.line().length() * 2L + 64;
        }

        private void drop(String kind, String message) {
            dropped.incrementAndGet();
            warnOnce(kind, message);
        }

        /** Writes when {@value #FLUSH_LINES} lines, {@value #FLUSH_BYTES} bytes or {@value #FLUSH_MILLIS} ms have gathered. */
        void flushIfDue() {
            if (count >= FLUSH_LINES
                    || bytes >= FLUSH_BYTES
                    || (count > 0 && System.currentTimeMillis() - firstAt >= FLUSH_MILLIS)) {
                flush();
            }
        }

        void flush() {
            Map<String, ApiPrincipal> byKeyId = new java.util.HashMap<>();
            callers.values().forEach(c -> byKeyId.put(c.keyId(), c));
            for (Map.Entry<String, List<String>> e : lines.entrySet()) {
                int split = e.getKey().indexOf('\0');
                write(byKeyId.get(e.getKey().substring(0, split)), e.getKey().substring(split + 1), e.getValue());
            }
            lines.clear();
            count = 0;
            bytes = 0;
        }
    }

    private void write(ApiPrincipal caller, String label, List<String> batch) {
        try (ShipperIngest.Request request = ingest.open(caller, "syslog", null)) {
            ShipperIngest.Group group = request.group(label, LogBatch.PayloadFormat.TEXT);
            long bytes = 0;
            for (String line : batch) {
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                bytes += b.length + 1;
                request.add(group, b, 0, b.length, false, 0);
            }
            ShipperIngest.Result result = ingest.commit(request, bytes);
            accepted.addAndGet(result.lines());
            dropped.addAndGet(batch.size() - result.lines());
            if (result.firstFailure() != null) {
                warnOnce(
                        "refused",
                        "syslog lines for org " + caller.orgId() + " were dropped: "
                                + result.firstFailure().getMessage());
            }
        } catch (ApiProblem e) {
            dropped.addAndGet(batch.size());
            warnOnce(
                    "refused",
                    "syslog lines for org " + caller.orgId() + " were dropped: " + e.title() + ": " + e.getMessage());
        }
    }

    private final Map<String, Long> lastWarned = new java.util.concurrent.ConcurrentHashMap<>();

    /** Logs {@code message} at most once a minute per {@code kind}: a flood of bad lines cannot flood the log. */
    private void warnOnce(String kind, String message) {
        long now = System.currentTimeMillis();
        Long last = lastWarned.get(kind);
        if (last == null || now - last > 60_000) {
            lastWarned.put(kind, now);
            LOG.warn("{} (dropped so far: {})", message, dropped.get());
        }
    }

    @Override
    public void stop() {
        running = false;
        for (AutoCloseable l : listeners) {
            closeQuietly(l);
        }
        workers.shutdown();
        try {
            workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on shutdown or after a failure: nothing left to do
        }
    }
}
