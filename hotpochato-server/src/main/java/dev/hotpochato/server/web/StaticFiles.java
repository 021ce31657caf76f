package dev.hotpochato.server.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The web page's files, read from the jar once at start and kept in memory: a request can only ever
 * get one of these, by its exact path, so no name a client sends reaches the file system or the
 * class path.
 *
 * <p>Immutable; shared by every connection.
 */
final class StaticFiles {

    /** Where the files are in the jar. */
    static final String ROOT = "/dev/hotpochato/server/web/page/";

    /** Every file the page is made of; a missing one stops the server at start. */
    static final List<String> NAMES = List.of("index.html", "style.css", "app.js", "session.js", "room.js",
            "favicon.svg", "favicon-turn.svg");

    /** One file: its bytes (one buffer shared by every response, which gets a duplicate), type and ETag. */
    record File(ByteBuf content, String contentType, String etag) {
    }

    private final Map<String, File> byPath;

    private StaticFiles(Map<String, File> byPath) {
        this.byPath = byPath;
    }

    static StaticFiles load() {
        Map<String, File> files = new HashMap<>();
        for (String name : NAMES) {
            byte[] bytes = read(ROOT + name);
            files.put("/" + name, new File(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes)),
                    contentType(name), etag(bytes)));
        }
        files.put("/", files.get("/index.html"));
        return new StaticFiles(Map.copyOf(files));
    }

    /** The file at {@code path} (the request's path, without its query), or null. */
    File get(String path) {
        return byPath.get(path);
    }

    private static byte[] read(String resource) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the web page's " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web page's " + resource, e);
        }
    }

    private static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> throw new IllegalStateException("no content type for " + name);
        };
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
