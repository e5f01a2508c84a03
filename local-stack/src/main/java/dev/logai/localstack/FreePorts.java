package dev.logai.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback port helpers for the local stack; everything LogAi starts binds 127.0.0.1 only. */
public final class FreePorts {
    private FreePorts() {}

    /** A port that was free on 127.0.0.1 a moment ago (tests pass 0 to mean "pick one"). */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on 127.0.0.1", e);
        }
    }

    /** Returns {@code port}, or a free one when it is 0. */
    public static int orPick(int port) {
        return port == 0 ? pick() : port;
    }

    /** Fails with an actionable message when something else already listens on {@code port}. */
    public static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Port " + port + " on 127.0.0.1 (" + what + ") is already in use. Stop whatever"
                            + " listens there (is another './logai up' running?) or choose another port.",
                    e);
        }
    }
}
