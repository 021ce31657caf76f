package dev.hotpochato.client;

import java.time.Instant;

/**
 * One thing said in a room: who said it, what, and when (by the server's clock).
 *
 * @param room    the room it was said in
 * @param speaker the display name of the speaker
 * @param text    what was said
 * @param time    when the server received it
 * @param turn    the number of the turn it was said in
 */
public record Message(String room, String speaker, String text, Instant time, long turn) {
}
