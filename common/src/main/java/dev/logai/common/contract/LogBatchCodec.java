package dev.logai.common.contract;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of a {@link LogBatch} as a Kafka record value.
 *
 * <p>Binary rather than JSON because this is the hottest path of the system (every line passes
 * through it twice) and lines are opaque bytes. Layout, all integers big-endian:
 *
 * <pre>
 *   magic 'L' 'B' | version u8 (=2) | format u8 (0 text, 1 ndjson)
 *   receivedAtMillis i64
 *   orgId, sourceId, batchId : u16 length + UTF-8
 *   idempotencyKey           : u16 length + ASCII, length 0 = none     (version 2 only)
 *   lineCount i32
 *   per line: flags u8 (bit 0 = truncated) | length i32 | bytes
 * </pre>
 *
 * {@link #encode} writes version 2 for a batch with a key and version 1 (the same layout without
 * the key) for one without, so a pipeline from before version 2 still reads every batch of
 * clients that send no key while a rolling upgrade is under way; {@link #decode} reads both.
 *
 * <p>A reader must reject unknown versions rather than guess; the pipeline sends such records to the
 * dead-letter topic with the reason from {@link MalformedBatchException}.
 */
public final class LogBatchCodec {
    private static final byte MAGIC_0 = 'L';
    private static final byte MAGIC_1 = 'B';
    /** The version {@link #encode} writes. */
    public static final byte VERSION = 2;
    /** Records without the idempotency key, written before version 2; still decoded. */
    static final byte VERSION_WITHOUT_KEY = 1;

    private static final int FLAG_TRUNCATED = 1;

    private LogBatchCodec() {}

    /**
     * The record value of {@code batch}: version 2 with its idempotency key, version 1 without one.
     *
     * @throws IllegalArgumentException when an id is longer than 65535 UTF-8 bytes
     */
    public static byte[] encode(LogBatch batch) {
        LogBatchWriter writer = new LogBatchWriter(
                batch.orgId(),
                batch.sourceId(),
                batch.batchId(),
                batch.receivedAtMillis(),
                batch.format(),
                batch.idempotencyKey(),
                LogBatchWriter.Allocation.UNCOUNTED);
        for (RawLine line : batch.lines()) {
            writer.line(line.bytes(), 0, line.bytes().length, line.truncated());
        }
        return writer.finish();
    }

    /** The record's fixed part, up to and including the line count (written as 0, patched by the writer). */
    static byte[] header(
            String orgId,
            String sourceId,
            String batchId,
            long receivedAtMillis,
            LogBatch.PayloadFormat format,
            String idempotencyKey) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(MAGIC_0);
            out.writeByte(MAGIC_1);
            boolean keyed = idempotencyKey != null;
            out.writeByte(keyed ? VERSION : VERSION_WITHOUT_KEY);
            out.writeByte(format == LogBatch.PayloadFormat.NDJSON ? 1 : 0);
            out.writeLong(receivedAtMillis);
            writeString(out, orgId);
            writeString(out, sourceId);
            writeString(out, batchId);
            if (keyed) {
                writeString(out, idempotencyKey);
            }
            out.writeInt(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return bytes.toByteArray();
    }

    /** Bytes of framing before each line: flags u8 and length i32. */
    static final int LINE_FRAMING_BYTES = 5;

    /** The flags byte of a line. */
    static byte flags(boolean truncated) {
        return (byte) (truncated ? FLAG_TRUNCATED : 0);
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("Identifier longer than 65535 bytes");
        }
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    /**
     * Decodes a record value of version 1 or 2; never returns a partial batch.
     *
     * @throws MalformedBatchException saying what is wrong: not a batch, an unknown version, a cut
     *     or oversized field, trailing bytes, an empty org or source, an invalid idempotency key
     */
    public static LogBatch decode(byte[] value) throws MalformedBatchException {
        if (value == null) {
            throw new MalformedBatchException("record has no value (tombstone)");
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        try {
            if (value.length < 4 || in.get() != MAGIC_0 || in.get() != MAGIC_1) {
                throw new MalformedBatchException("not a LogAi batch: bad magic bytes");
            }
            byte version = in.get();
            if (version != VERSION && version != VERSION_WITHOUT_KEY) {
                throw new MalformedBatchException("unsupported batch version " + version + " (this reader knows "
                        + VERSION_WITHOUT_KEY + " and " + VERSION + ")");
            }
            byte formatCode = in.get();
            LogBatch.PayloadFormat format = switch (formatCode) {
                case 0 -> LogBatch.PayloadFormat.TEXT;
                case 1 -> LogBatch.PayloadFormat.NDJSON;
                default -> throw new MalformedBatchException("unknown payload format code " + formatCode);
            };
            long receivedAt = in.getLong();
            String orgId = readString(in);
            String sourceId = readString(in);
            String batchId = readString(in);
            String idempotencyKey = null;
            if (version == VERSION) {
                String key = readString(in);
                if (!key.isEmpty()) {
                    if (!IdempotencyKeys.isValid(key)) {
                        throw new MalformedBatchException("invalid idempotency key: " + IdempotencyKeys.RULE);
                    }
                    idempotencyKey = key;
                }
            }
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 5) {
                throw new MalformedBatchException("line count " + count + " does not fit the record size");
            }
            List<RawLine> lines = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int flags = in.get();
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new MalformedBatchException("line " + (i + 1) + " length " + length + " exceeds the record");
                }
                byte[] bytes = new byte[length];
                in.get(bytes);
                lines.add(new RawLine(bytes, (flags & FLAG_TRUNCATED) != 0));
            }
            if (in.hasRemaining()) {
                throw new MalformedBatchException(in.remaining() + " unexpected trailing bytes");
            }
            if (orgId.isEmpty() || sourceId.isEmpty()) {
                throw new MalformedBatchException("batch has an empty org or source id");
            }
            return new LogBatch(orgId, sourceId, batchId, receivedAt, format, lines, idempotencyKey);
        } catch (BufferUnderflowException e) {
            throw new MalformedBatchException("record ends in the middle of a field (truncated record)");
        }
    }

    private static String readString(ByteBuffer in) throws MalformedBatchException {
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining()) {
            throw new MalformedBatchException("identifier length " + length + " exceeds the record");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Why a record could not be read; the message goes to the dead-letter topic. */
    public static final class MalformedBatchException extends Exception {
        public MalformedBatchException(String message) {
            super(message);
        }
    }
}
