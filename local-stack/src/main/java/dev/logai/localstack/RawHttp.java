package dev.logai.localstack;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 connection on loopback, written and read byte by byte, for tests that need what an
 * HTTP client library hides: a body sent slowly or not at all, a declared length never delivered,
 * control bytes in a header, and whether the server closed the connection.
 */
public final class RawHttp implements Closeable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects to 127.0.0.1:{@code port}; reads time out after {@code readTimeoutMillis}. */
    public static RawHttp connect(int port, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(readTimeoutMillis);
        return new RawHttp(socket);
    }

    /**
     * Connects to 127.0.0.1:{@code port} from the loopback address {@code from} (any of
     * 127.0.0.0/8 on Linux), so a test can be a client of its own address.
     */
    public static RawHttp connectFrom(String from, int port, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), readTimeoutMillis);
        socket.setSoTimeout(readTimeoutMillis);
        return new RawHttp(socket);
    }

    /** Sends {@code text} as ISO-8859-1 bytes (a request head, say, with its CRLFs). */
    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends {@code bytes} and flushes. */
    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /**
     * Reads what the server sends until it closes the connection (end of stream or reset), at most
     * {@code maxBytes}, as ISO-8859-1 text.
     *
     * @throws SocketTimeoutException when the server neither sends nor closes within the read timeout
     */
    public String readUntilClosed(int maxBytes) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while (received.size() < maxBytes && (n = in.read(buf)) > 0) {
                received.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            // a reset after the response is a close too
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes up to {@code total} bytes in 64 KiB blocks and returns how many were written before the
     * connection failed ({@code total} when it never did).
     */
    public long writeUntilRefused(long total) {
        byte[] block = new byte[64 * 1024];
        long written = 0;
        try {
            while (written < total) {
                int n = (int) Math.min(block.length, total - written);
                out.write(block, 0, n);
                written += n;
            }
            out.flush();
        } catch (IOException refused) {
            // the server closed the connection
        }
        return written;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
