package dev.logai.flink.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile receivers: an endless response body and one that drips forever. */
class HttpDeliveryTest {
    static final long HUNDRED_MIB = 100L * 1024 * 1024;
    HttpServer receiver;
    final AtomicLong written = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/huge", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(400, 0);
            byte[] block = "error ".repeat(10_000).getBytes();
            try (OutputStream out = exchange.getResponseBody()) {
                while (written.get() < HUNDRED_MIB) {
                    out.write(block);
                    written.addAndGet(block.length);
                }
            } catch (IOException dropped) {
                // the client stopped reading
            }
        });
        receiver.createContext("/drip", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 600; i++) {
                    out.write('.');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException dropped) {
                // the client gave up
            }
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private Delivery post(String path, Duration timeout) {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
        return new HttpDelivery(timeout).post("webhook", url, "application/json", "{}", Map.of(), target -> {});
    }

    @Test
    void anEndlessResponseBodyIsReadOnlyUpToTheCap() {
        Delivery delivery = post("/huge", Duration.ofSeconds(10));
        assertThat(delivery.error()).startsWith("HTTP 400: error error");
        // The receiver could not push its 100 MiB: the client stopped after 64 KiB (plus what the
        // sockets buffer on the way).
        assertThat(written.get()).isLessThan(HUNDRED_MIB);
    }

    @Test
    void aDrippingResponseEndsAtTheDeadline() {
        // 600 drips take 60 s; each of the 3 attempts gives up after 1 s.
        Delivery delivery =
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> post("/drip", Duration.ofSeconds(1)));
        assertThat(delivery.attempts()).isEqualTo(HttpDelivery.MAX_ATTEMPTS);
        assertThat(delivery.error()).isEqualTo("no complete answer within 1000 ms");
    }
}
