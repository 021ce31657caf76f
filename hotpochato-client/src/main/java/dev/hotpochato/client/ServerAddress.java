package dev.hotpochato.client;

import dev.hotpochato.protocol.ProtocolDefaults;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a server listens: a host name or address, and a TCP port. Immutable.
 *
 * @param host a host name, an IPv4 address, or an IPv6 address (without brackets)
 * @param port 1 to 65535
 */
public record ServerAddress(String host, int port) {

    /** Checks both parts; fails with {@link InvalidOptionException} ({@code host}, {@code port}). */
    public ServerAddress {
        if (host == null || host.isBlank()) {
            throw new InvalidOptionException("host", "the server host", "must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new InvalidOptionException("port", "the server port", "must be between 1 and 65535, not " + port);
        }
    }

    /** {@code host} on the default port {@value ProtocolDefaults#PORT}. */
    public static ServerAddress of(String host) {
        return new ServerAddress(host, ProtocolDefaults.PORT);
    }

    /**
     * Reads {@code host}, {@code host:port}, {@code [ipv6]} or {@code [ipv6]:port}; a missing port
     * is {@code defaultPort}. Fails with {@link InvalidOptionException} (option {@code address}).
     */
    public static ServerAddress parse(String text, int defaultPort) {
        String s = text == null ? "" : text.strip();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw invalid(text, "has no closing ]");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(text, "has something after ] that is not :PORT");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw invalid(text, "is an IPv6 address without brackets: write [" + s + "]:PORT");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isBlank()) {
            throw invalid(text, "has no host");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw invalid(text, "has a port that is not a number");
            }
            if (p < 1 || p > 65535) {
                throw invalid(text, "has a port outside 1-65535");
            }
        }
        return new ServerAddress(host, p);
    }

    /** Reads a comma-separated list of addresses, each as {@link #parse} reads it; at least one. */
    public static List<ServerAddress> parseList(String text, int defaultPort) {
        List<ServerAddress> addresses = new ArrayList<>();
        for (String part : (text == null ? "" : text).split(",")) {
            if (!part.isBlank()) {
                addresses.add(parse(part, defaultPort));
            }
        }
        if (addresses.isEmpty()) {
            throw new InvalidOptionException("addresses", "the server address list", "must name at least one server");
        }
        return List.copyOf(addresses);
    }

    private static InvalidOptionException invalid(String text, String why) {
        return new InvalidOptionException("address", "the server address '" + text + "'", why);
    }

    /** {@code host:port}, with an IPv6 address in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
