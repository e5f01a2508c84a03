package dev.logai.flink.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Opens uploaded objects as line streams at a given position. Plain objects are read with a ranged
 * GET from that byte on. A gzip stream cannot be entered in the middle: it is read from its start
 * and the decompressed bytes before the position are skipped (after a failover that costs one
 * re-read of the part already done; an open stream is kept between steps, so in normal operation
 * every byte is read once).
 */
final class UploadObjects implements AutoCloseable {
    private static final int GZIP_BUFFER = 64 * 1024;

    private final S3Client s3;

    UploadObjects(UploadSettings settings) {
        AwsCredentialsProvider credentials = settings.s3AccessKey() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.s3AccessKey(), settings.s3SecretKey()));
        var builder = S3Client.builder()
                .region(Region.of(settings.s3Region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofMinutes(10)));
        if (settings.s3Endpoint() != null) {
            builder.endpointOverride(URI.create(settings.s3Endpoint()));
        }
        this.s3 = builder.build();
    }

    /** An open object: its lines from some position, and how many of the object's bytes were read. */
    static final class OpenObject implements AutoCloseable {
        final LineStream lines;
        private final CountingStream raw;
        private final long rawStart;
        private final InputStream body;

        OpenObject(LineStream lines, CountingStream raw, long rawStart, InputStream body) {
            this.lines = lines;
            this.raw = raw;
            this.rawStart = rawStart;
            this.body = body;
        }

        /** Bytes of the object consumed so far (compressed bytes for gzip; read ahead by at most a buffer). */
        long objectBytes() {
            return rawStart + raw.count;
        }

        /** Closes the connection without reading the rest of the object (a plain close would drain it). */
        @Override
        public void close() throws IOException {
            if (body instanceof software.amazon.awssdk.core.ResponseInputStream<?> response) {
                response.abort();
            }
            lines.close();
        }
    }

    /**
     * Opens {@code task}'s object at line-stream position {@code position} (a byte offset of the
     * object for plain files, of the decompressed lines for gzip).
     *
     * @throws IOException when the object cannot be read (missing, store down) or, for gzip, the
     *     data before {@code position} is unreadable
     */
    /**
     * The most decompressed bytes a gzip object of {@code size} bytes may expand to: {@value
     * #MAX_GZIP_RATIO}× plus 1 GiB. Logs compress 5–50× (very repetitive ones near 100×); gzip's
     * ceiling is about 1000×, reached only by crafted input (a "gzip bomb"), which this refuses
     * before it floods the pipeline. Also bounds what a restore re-inflates to reach its offset.
     */
    static long maxDecompressedBytes(long size) {
        long cap = size > Long.MAX_VALUE / MAX_GZIP_RATIO ? Long.MAX_VALUE : size * MAX_GZIP_RATIO;
        return cap > Long.MAX_VALUE - (1L << 30) ? Long.MAX_VALUE : cap + (1L << 30);
    }

    static final long MAX_GZIP_RATIO = 250;

    OpenObject open(UploadTask task, long position, int maxLineBytes) throws IOException {
        try {
            if (!task.gzip) {
                InputStream body = position >= task.size
                        ? InputStream.nullInputStream()
                        : s3.getObject(
                                b -> b.bucket(task.bucket).key(task.objectKey).range("bytes=" + position + "-"));
                CountingStream raw = new CountingStream(body);
                return new OpenObject(new LineStream(raw, position, maxLineBytes), raw, position, body);
            }
            InputStream body = s3.getObject(b -> b.bucket(task.bucket).key(task.objectKey));
            CountingStream raw = new CountingStream(body);
            InputStream lines = new GZIPInputStream(raw, GZIP_BUFFER);
            lines.skipNBytes(position);
            return new OpenObject(
                    new LineStream(lines, position, maxLineBytes, maxDecompressedBytes(task.size)), raw, 0, body);
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 403) {
                throw new ObjectGoneException(
                        "the object " + task.objectKey + " is gone or unreadable (" + e.statusCode() + ")");
            }
            throw new IOException(
                    "reading s3://" + task.bucket + "/" + task.objectKey + " failed: " + e.getMessage(), e);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw new IOException(
                    "reading s3://" + task.bucket + "/" + task.objectKey + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** The object no longer exists or may not be read: reading it again will not help. */
    static final class ObjectGoneException extends IOException {
        ObjectGoneException(String message) {
            super(message);
        }
    }

    /** Counts the bytes read through it. */
    static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
