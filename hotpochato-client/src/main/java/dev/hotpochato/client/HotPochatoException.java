package dev.hotpochato.client;

/**
 * Why a HotPochato request failed. Every future of this library that fails completes exceptionally
 * with one of its subclasses (wrapped in a {@link java.util.concurrent.CompletionException} by
 * {@code join()}, in an {@link java.util.concurrent.ExecutionException} by {@code get()}):
 * <ul>
 *   <li>{@link ServerErrorException} and its subclasses: the server refused the request;</li>
 *   <li>{@link RequestTimeoutException}: no reply came within {@link ClientOptions#requestTimeout()};</li>
 *   <li>{@link ConnectionClosedException}: the connection closed before the reply came;</li>
 *   <li>{@link ConnectFailedException}: {@link HotPochatoClient#connect} found no server to talk to;</li>
 *   <li>{@link RoomClosedException}: the room closed while {@link SyncRoom#awaitMyTurn()} waited.</li>
 * </ul>
 */
public class HotPochatoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HotPochatoException(String message) {
        super(message);
    }

    public HotPochatoException(String message, Throwable cause) {
        super(message, cause);
    }
}
