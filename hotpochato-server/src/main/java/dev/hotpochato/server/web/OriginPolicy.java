package dev.hotpochato.server.web;

import io.netty.util.NetUtil;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Which web pages may open a WebSocket to the server: a browser sends the page's origin in the
 * {@code Origin} header of the upgrade request, and a page of another site must not be able to use
 * its visitors' browsers (and their network position) to reach the server.
 *
 * <p>Same origin means the Origin's host and port equal those of the request's {@code Host}
 * header, whatever the scheme, so that a TLS-terminating proxy in front of the server does not
 * break it, and that host is an IP address or {@code localhost}. A page served under a DNS name
 * must have its origin listed: otherwise a site could point its own name at the server's address
 * (DNS rebinding) and be "same origin" with it. A request without {@code Origin} is not from a browser page and is let through: such
 * a client can send any header it likes, so refusing it would protect nothing.
 *
 * <p>Immutable; shared by every connection.
 */
final class OriginPolicy {

    private final List<String> allowed;
    private final boolean any;

    /** @param allowed normalized origins ({@code scheme://host[:port]}, lower case), or {@code "*"} */
    OriginPolicy(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
        this.any = allowed.contains("*");
    }

    /** Whether a request with these headers (either may be null) may open a WebSocket. */
    boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return allowed.contains(o) || sameOrigin(o, host);
    }

    private static boolean sameOrigin(String origin, String host) {
        if (host == null) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false; // "null" (a sandboxed page, a file) and anything malformed
        }
        int defaultPort = switch (String.valueOf(uri.getScheme())) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
        if (defaultPort < 0 || uri.getHost() == null) {
            return false;
        }
        int originPort = uri.getPort() == -1 ? defaultPort : uri.getPort();
        String h = host.trim().toLowerCase(Locale.ROOT);
        // The Host header is host[:port], the host possibly an IPv6 literal in brackets.
        int colon = h.lastIndexOf(':');
        String hostName = h;
        int hostPort = defaultPort;
        if (colon > h.lastIndexOf(']')) {
            hostName = h.substring(0, colon);
            try {
                hostPort = Integer.parseInt(h.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return hostName.equals(uri.getHost()) && hostPort == originPort && notRebindable(hostName);
    }

    /** Whether no one but the machine's own resolver can point this host name at an address. */
    private static boolean notRebindable(String hostName) {
        return hostName.equals("localhost") || hostName.endsWith(".localhost")
                || NetUtil.isValidIpV4Address(hostName)
                || hostName.startsWith("[") && NetUtil.isValidIpV6Address(hostName.substring(1, hostName.length() - 1));
    }
}
