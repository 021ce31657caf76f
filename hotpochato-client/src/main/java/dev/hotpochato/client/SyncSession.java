package dev.hotpochato.client;

import java.time.Duration;
import java.util.List;

/**
 * A {@link Session} with blocking methods, from {@link Session#sync()}. Each method sends its
 * request, waits for the reply and returns it; it throws what the asynchronous method's future
 * would fail with ({@link ServerErrorException}, {@link RequestTimeoutException},
 * {@link ConnectionClosedException}, ...), unwrapped. Any thread but the session's callback thread
 * (there it throws {@link BlockingInCallbackException}). An interrupt while waiting throws
 * {@link HotPochatoException} with the thread's interrupt flag set again.
 */
public interface SyncSession {

    /** The session this facade waits on. */
    Session async();

    /** See {@link Session#join(String)}. */
    SyncRoom join(String room);

    /** See {@link Session#join(String, JoinOptions)}. */
    SyncRoom join(String room, JoinOptions options);

    /** Waits for a partner, as long as it takes; see {@link Session#match()}. */
    SyncRoom match();

    /** See {@link Session#cancelMatch()}. */
    void cancelMatch();

    /** See {@link Session#listRooms()}. */
    List<RoomInfo> listRooms();

    /** See {@link Session#ping()}. */
    Duration ping();

    /** See {@link Session#close()}. */
    void close();
}
