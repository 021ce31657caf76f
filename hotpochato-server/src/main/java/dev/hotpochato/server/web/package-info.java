/**
 * The WebSocket gateway and the web page: an HTTP listener of its own ({@code --http-port}) that
 * serves the page's static files and upgrades {@code /ws} to a WebSocket. After the upgrade, a
 * WebSocket message carries one frame ({@link dev.hotpochato.server.web.Subprotocol}), and the
 * session runs through exactly the handlers a TCP session does
 * ({@code ServerInitializer.addSessionHandlers}).
 *
 * <pre>
 * accept:   [tls] connectionLimit idle http httpAggregator web(WebGate)
 * upgraded: [tls] connectionLimit idle wsencoder wsdecoder wsHeartbeat wsControl wsUtf8 wsAggregator
 *           wsCodec | frameRate slowConsumer session turnScheduler errors
 * </pre>
 */
package dev.hotpochato.server.web;
