package fr.actesconnector.protocol;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fails with {@link TooLargeException} as soon as more than {@code maxBytes} have been read, so a
 * huge or endless input is stopped while streaming instead of after being buffered.
 */
public final class LimitedInputStream extends FilterInputStream {
    private final long maxBytes;
    private long count;

    public LimitedInputStream(InputStream in, long maxBytes) {
        super(in);
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false; // a reset would make the count lie
    }

    private void count(long n) throws TooLargeException {
        count += n;
        if (count > maxBytes) {
            throw new TooLargeException(maxBytes);
        }
    }

    /** The input went past the limit. */
    public static final class TooLargeException extends IOException {
        private final long maxBytes;

        TooLargeException(long maxBytes) {
            super("input exceeds " + maxBytes + " bytes");
            this.maxBytes = maxBytes;
        }

        public long maxBytes() {
            return maxBytes;
        }
    }
}
