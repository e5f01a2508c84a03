package dev.logai.gateway.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails as soon as more than {@code limit} bytes have been read: the gzip-bomb and huge-body guard. */
final class LimitedInputStream extends FilterInputStream {
    /** Thrown once the limit is passed; carries which limit it was. */
    static final class LimitExceededException extends IOException {
        final String what;
        final long limit;

        LimitExceededException(String what, long limit) {
            super(what + " exceeds " + limit + " bytes");
            this.what = what;
            this.limit = limit;
        }
    }

    private final long limit;
    private final String what;
    private long count;

    LimitedInputStream(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0 && ++count > limit) {
            throw new LimitExceededException(what, limit);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw new LimitExceededException(what, limit);
            }
        }
        return n;
    }

    long count() {
        return count;
    }
}
