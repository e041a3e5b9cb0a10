package fr.actesconnector.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A TCP relay between the connector and the TdT that passes bytes both ways, TLS untouched, until the TdT
 * answers while {@code cutWhen} holds: then {@code onCut} runs before a byte of that answer is passed on (the
 * test kills the connector's process there) and the connection is closed. What a connector sees when it dies
 * after the TdT recorded its request but before reading the reply.
 */
public final class CuttingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final BooleanSupplier cutWhen;
    private final Runnable onCut;
    private final AtomicBoolean cut = new AtomicBoolean();

    public CuttingRelay(int targetPort, BooleanSupplier cutWhen, Runnable onCut) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.cutWhen = cutWhen;
        this.onCut = onCut;
        Thread accept = new Thread(this::acceptLoop, "cutting-relay");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** True once a reply was held back and {@code onCut} ran. */
    public boolean wasCut() {
        return cut.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                pump(client, target, false);
                pump(target, client, true);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean reply) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    if (reply && (cut.get() || cutWhen.getAsBoolean())) {
                        if (cut.compareAndSet(false, true)) onCut.run();
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, reply ? "relay-reply" : "relay-request");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
