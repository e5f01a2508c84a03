package dev.logai.common.contract;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The "upload registered" event on {@link Topics#UPLOADS}: an object the gateway checked (it
 * exists, has the declared size and SHA-256, lies under the caller's org and source) and the
 * pipeline is to read. Written once per upload; the pipeline reads each upload id once.
 *
 * @param uploadId the {@code upload} row's id ({@code upl_…})
 * @param orgId the org that owns the object and every line of it
 * @param sourceId the source the lines belong to
 * @param bucket the bucket holding the object
 * @param objectKey the object's key ({@link UploadKeys})
 * @param size the object's size in bytes, as checked by the gateway
 * @param gzip the object is gzip-compressed
 * @param registeredAtMillis when the upload was registered (UTC epoch ms): the receive time of its
 *     lines, used as event time for lines without a timestamp of their own
 * @param parserHint the source's {@code parser_hint} when registered, or null
 */
public record UploadRegistered(
        String uploadId,
        String orgId,
        String sourceId,
        String bucket,
        String objectKey,
        long size,
        boolean gzip,
        long registeredAtMillis,
        String parserHint) {

    private static final int VERSION = 1;

    public UploadRegistered {
        Objects.requireNonNull(uploadId, "uploadId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(objectKey, "objectKey");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
    }

    /** The Kafka record key: {@code org/source}. */
    public String kafkaKey() {
        return RecordKeys.of(orgId, sourceId);
    }

    /** The record value: a version byte, then the fields (modified UTF-8 strings, longs). */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(uploadId);
            out.writeUTF(orgId);
            out.writeUTF(sourceId);
            out.writeUTF(bucket);
            out.writeUTF(objectKey);
            out.writeLong(size);
            out.writeBoolean(gzip);
            out.writeLong(registeredAtMillis);
            out.writeBoolean(parserHint != null);
            if (parserHint != null) {
                out.writeUTF(parserHint);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a record value written by {@link #encode}.
     *
     * @throws IllegalArgumentException when the bytes are not such a value (unknown version, cut short)
     */
    public static UploadRegistered decode(byte[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("empty upload event");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown upload event version " + version);
            }
            String uploadId = in.readUTF();
            String orgId = in.readUTF();
            String sourceId = in.readUTF();
            String bucket = in.readUTF();
            String objectKey = in.readUTF();
            long size = in.readLong();
            boolean gzip = in.readBoolean();
            long registeredAt = in.readLong();
            String hint = in.readBoolean() ? in.readUTF() : null;
            return new UploadRegistered(uploadId, orgId, sourceId, bucket, objectKey, size, gzip, registeredAt, hint);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable upload event: " + e.getMessage(), e);
        }
    }
}
