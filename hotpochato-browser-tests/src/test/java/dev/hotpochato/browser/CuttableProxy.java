package dev.hotpochato.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 between a browser and the server, to break the network on purpose:
 * {@link #cut()} closes every connection and refuses new ones until {@link #restore()} (a network
 * that drops); {@link #freeze()} silently stops carrying bytes on the connections open now, while new
 * ones work (a laptop that slept: its old connections are dead, but nobody said so).
 */
final class CuttableProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Link> frozen = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    /** One browser connection: the socket pair and whether it still carries bytes. */
    private static final class Link {
        final Socket client;
        final Socket server;
        volatile boolean frozen;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void close() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    CuttableProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    client.close();
                    continue;
                }
                Socket server = new Socket(target.getAddress(), target.getPort());
                Link link = new Link(client, server);
                links.add(link);
                pump(link, client, server, "up");
                pump(link, server, client, "down");
            } catch (IOException e) {
                // the listener closed, or the server refused: the browser sees a closed connection
            }
        }
    }

    private void pump(Link link, Socket from, Socket to, String direction) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!link.frozen) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException ignored) {
                // one side closed
            }
            if (!link.frozen) {
                link.close();
                links.remove(link);
            }
        }, "proxy-" + direction);
        t.setDaemon(true);
        t.start();
    }

    /** Closes every connection and refuses new ones. */
    void cut() {
        cut = true;
        for (Link link : links) {
            link.close();
        }
        links.clear();
    }

    /** Accepts connections again. */
    void restore() {
        cut = false;
    }

    /** The connections open now stop carrying bytes, without closing; new connections work. */
    void freeze() {
        for (Link link : links) {
            link.frozen = true;
            frozen.add(link);
        }
        links.clear();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
        frozen.forEach(Link::close);
    }
}
