package dev.hotpochato.server.web;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP and WebSocket bytes by hand over a plain socket, for what a well-behaved client library
 * will not do: requests the server must refuse, a client that never answers pings, exact status
 * lines. Blocking, with a read timeout; one per test.
 */
final class RawWebSocket implements AutoCloseable {

    static final int TIMEOUT_MILLIS = 10_000;

    /** An HTTP response: status code, headers (names in lower case), body. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A WebSocket message or control frame from the server. */
    record Message(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's status code, or -1. */
        int closeStatus() {
            return opcode == 8 && payload.length >= 2 ? (payload[0] & 0xFF) << 8 | payload[1] & 0xFF : -1;
        }

        String closeReason() {
            return new String(payload, 2, Math.max(0, payload.length - 2), StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawWebSocket(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** The lines of an upgrade request for {@code /ws}, ending before the blank line, so more headers can follow. */
    static String upgradeRequest(InetSocketAddress server) {
        return "GET /ws HTTP/1.1\r\n"
                + "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    }

    /** Sends {@code request} (text, CRLF line ends) and reads the response's head and body. */
    Response exchange(String request) throws IOException {
        send(request.getBytes(StandardCharsets.ISO_8859_1));
        return readResponse();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Response readResponse() throws IOException {
        return readResponse(false);
    }

    /** Reads a response's head, and its body unless it answers a HEAD request. */
    Response readResponse(boolean head) throws IOException {
        String statusLine = readLine();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String body = "";
        if (!head && headers.containsKey("content-length")) {
            body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
        }
        return new Response(status, headers, body);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a line: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Sends one masked frame, as a client must: {@code fin} and {@code opcode} (1 text, 2 binary, 0 continuation...). */
    void sendFrame(boolean fin, int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            frame.write(0x80 | n);
        } else if (n < 65536) {
            frame.write(0x80 | 126);
            frame.write(n >>> 8);
            frame.write(n);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) n >>> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < n; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        send(frame.toByteArray());
    }

    void sendText(String text) throws IOException {
        sendFrame(true, 1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next frame from the server (servers do not mask). */
    Message read() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        long n = b1 & 0x7F;
        if (n == 126) {
            n = readByte() << 8 | readByte();
        } else if (n == 127) {
            n = 0;
            for (int i = 0; i < 8; i++) {
                n = n << 8 | readByte();
            }
        }
        return new Message(b0 & 0x0F, in.readNBytes((int) n));
    }

    /** Reads frames until a close frame, and returns it. */
    Message readUntilClose() throws IOException {
        Message m;
        while ((m = read()).opcode() != 8) {
            // data frames before the close
        }
        return m;
    }

    /** Whether the server ends the connection (EOF) within the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the server closed the connection");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
