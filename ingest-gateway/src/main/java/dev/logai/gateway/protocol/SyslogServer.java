package dev.logai.gateway.protocol;

import dev.logai.common.contract.LogBatch;
import dev.logai.common.tenancy.ApiKeyAuthenticator;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.web.ApiProblem;
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
 * neither, or with a key that is unknown, revoked or lacks the ingest scope, is dropped and counted
 * ({@link #dropped}); nothing is ever written to an org without its key. Source: the element's
 * {@code source}, else {@code LOGAI_SYSLOG_SOURCE}, else {@code syslog} ({@link SourceRouter}).
 *
 * <p>Delivery: each connection gathers its lines and writes them through {@link ShipperIngest} (the
 * same limits, quota and Kafka write as HTTP) every {@value #FLUSH_LINES} lines, every {@value
 * #FLUSH_MILLIS} ms and when the connection ends. Syslog has no acknowledgement: lines a limit or
 * quota refuses are dropped and counted, with a warning in the gateway's log.
 */
@Component
public class SyslogServer implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SyslogServer.class);
    static final int FLUSH_LINES = 1000;
    static final long FLUSH_MILLIS = 250;

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
            @Value("${logai.syslog.max-connections:500}") int maxConnections) {
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
                if (!connections.tryAcquire()) {
                    LOG.warn("Syslog {}: refusing a connection, {} connections open", kind, "all");
                    closeQuietly(socket);
                    continue;
                }
                workers.execute(() -> {
                    try {
                        serve(socket);
                    } finally {
                        connections.release();
                        closeQuietly(socket);
                    }
                });
            }
        });
    }

    /** Reads one TCP connection to its end, flushing its lines as they gather. */
    private void serve(Socket socket) {
        Batch batch = new Batch();
        try (InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024)) {
            socket.setSoTimeout((int) FLUSH_MILLIS);
            while (running) {
                byte[] frame;
                try {
                    frame = SyslogFrames.nextFrame(in, ingest.maxLineBytes());
                } catch (java.net.SocketTimeoutException idle) {
                    batch.flushIfDue(true);
                    continue;
                }
                if (frame == null) {
                    break;
                }
                batch.add(frame, frame.length);
                batch.flushIfDue(false);
            }
        } catch (IOException e) {
            LOG.debug("Syslog connection ended: {}", e.getMessage());
        } finally {
            batch.flush();
        }
    }

    private void receive(DatagramSocket socket) {
        byte[] buffer = new byte[65_535];
        Batch batch = new Batch();
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
                batch.flushIfDue(true);
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
                batch.add(buffer, Math.min(length, ingest.maxLineBytes()));
                batch.flushIfDue(false);
            }
        }
        batch.flush();
    }

    /** One connection's lines not yet written, by (key, source label). */
    private final class Batch {
        private final Map<String, List<String>> lines = new LinkedHashMap<>();
        private int count;
        private long firstAt;

        void add(byte[] frame, int length) {
            SyslogFrames.Message m = SyslogFrames.credential(frame, length);
            String key = m.key() != null ? m.key() : defaultKey;
            if (key == null) {
                dropped.incrementAndGet();
                warnOnce(
                        "no key",
                        "a syslog message had no [logai@… key=\"…\"] element and the listener has no"
                                + " LOGAI_SYSLOG_KEY: dropped");
                return;
            }
            String label = m.source() != null ? m.source() : defaultSource;
            if (count == 0) {
                firstAt = System.currentTimeMillis();
            }
            lines.computeIfAbsent(key + "\0" + label, k -> new ArrayList<>()).add(m.line());
            count++;
        }

        void flushIfDue(boolean idle) {
            if (count >= FLUSH_LINES || (count > 0 && System.currentTimeMillis() - firstAt >= FLUSH_MILLIS)) {
                flush();
            }
        }

        void flush() {
            for (Map.Entry<String, List<String>> e : lines.entrySet()) {
                int split = e.getKey().indexOf('\0');
                write(e.getKey().substring(0, split), e.getKey().substring(split + 1), e.getValue());
            }
            lines.clear();
            count = 0;
        }
    }

    private void write(String key, String label, List<String> batch) {
        ApiPrincipal caller;
        try {
            caller = keys.authenticate("Bearer " + key);
        } catch (ApiProblem e) {
            dropped.addAndGet(batch.size());
            warnOnce("bad key", "syslog lines with an unknown or revoked key were dropped (" + e.getMessage() + ")");
            return;
        }
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
