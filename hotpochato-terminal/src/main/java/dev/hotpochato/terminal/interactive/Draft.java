package dev.hotpochato.terminal.interactive;

/**
 * A line typed for a room while it was not this client's turn, waiting to be said on one of its
 * turns. A held draft is not sent by itself: saying it failed for a reason another turn would not
 * fix (too long, say), or it is being edited. Immutable.
 *
 * @param text      what will be said
 * @param heldWhy   why it is held, or null when it goes out on the next turn
 */
record Draft(String text, String heldWhy) {

    static Draft of(String text) {
        return new Draft(text, null);
    }

    boolean isHeld() {
        return heldWhy != null;
    }

    Draft held(String why) {
        return new Draft(text, why);
    }
}
