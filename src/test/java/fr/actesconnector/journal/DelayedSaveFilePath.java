package fr.actesconnector.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code jdbc:h2:delayedsave:file:…}) whose writes made by H2's background save thread
 * ("H2-save") wait a while, once {@link #delay delayed}: the chunk that H2's background writer took from memory
 * stays in its write queue, as it does on a machine too loaded to run that thread at once. H2 builds a new
 * instance per path (by reflection, hence public), so the state is static.
 */
public final class DelayedSaveFilePath extends FilePathWrapper {
    private static volatile long delayMillis;
    private static final AtomicInteger held = new AtomicInteger();
    private static final Semaphore entered = new Semaphore(0);

    /** Makes {@code jdbc:h2:delayedsave:} known to H2 (once per JVM is enough; again is harmless). */
    static void register() {
        FilePath.register(new DelayedSaveFilePath());
    }

    /** From now on each write of the H2-save thread waits {@code d} first; zero ends it. */
    static void delay(Duration d) {
        entered.drainPermits();
        delayMillis = d.toMillis();
    }

    /** Waits until a write of the H2-save thread is held (H2's background writer took a commit). */
    static boolean awaitHeldWrite(Duration timeout) throws InterruptedException {
        return entered.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Writes of the H2-save thread not made yet. */
    static int heldWrites() {
        return held.get();
    }

    @Override
    public String getScheme() {
        return "delayedsave";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new DelayedFile(super.open(mode));
    }

    private static final class DelayedFile extends FileBase {
        private final FileChannel channel;

        DelayedFile(FileChannel channel) {
            this.channel = channel;
        }

        /** Holds a write of the H2-save thread while delayed; true when it did (then {@link #released} follows). */
        private static boolean holdIfSaveThread() throws IOException {
            long d = delayMillis;
            if (d == 0 || !Thread.currentThread().getName().startsWith("H2-save")) return false;
            held.incrementAndGet();
            entered.release();
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                held.decrementAndGet();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            return true;
        }

        private static void released(boolean wasHeld) {
            if (wasHeld) held.decrementAndGet();
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            boolean h = holdIfSaveThread();
            try {
                return channel.write(src, position);
            } finally {
                released(h);
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            boolean h = holdIfSaveThread();
            try {
                return channel.write(src);
            } finally {
                released(h);
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public FileChannel position(long pos) throws IOException {
            channel.position(pos);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            channel.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }
}
