package dev.hotpochato.server.web;

/**
 * How a WebSocket carries HotPochato frames, chosen by the client in {@code Sec-WebSocket-Protocol}.
 * Either way one WebSocket message holds exactly one frame, with no length prefix.
 */
public enum Subprotocol {

    /** One {@code ClientFrame} / {@code ServerFrame} per binary message, in protobuf's binary encoding. */
    PROTO("hotpochato.v1.proto"),

    /** One frame per text message, in protobuf's canonical JSON mapping. */
    JSON("hotpochato.v1.json");

    private final String id;

    Subprotocol(String id) {
        this.id = id;
    }

    /** The name a client asks for in {@code Sec-WebSocket-Protocol}. */
    public String id() {
        return id;
    }

    /** The subprotocol named {@code id} exactly, or null. */
    static Subprotocol of(String id) {
        for (Subprotocol s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        return null;
    }

    /**
     * The first of a {@code Sec-WebSocket-Protocol} header's comma-separated names that this server
     * speaks (the client lists them in its order of preference), or null.
     */
    static Subprotocol choose(String header) {
        if (header == null) {
            return null;
        }
        for (String name : header.split(",")) {
            Subprotocol s = of(name.trim());
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /** Every id, comma-separated: what the handshaker offers and what a refusal lists. */
    static String ids() {
        return PROTO.id + ", " + JSON.id;
    }
}
