package dev.hotpochato.client;

/**
 * A setting given to this library is out of its range. The message speaks in plain words (for
 * example {@code the display name must not be empty}); {@link #option()} names the setting by its
 * builder method ({@code displayName}), a stable key a program can map to its own words, such as a
 * command-line flag, and {@link #reason()} is the part that reads after any name
 * ({@code must not be empty}):
 *
 * <pre>{@code
 * } catch (InvalidOptionException e) {
 *     System.err.println(flagFor(e.option()) + " " + e.reason()); // "--name must not be empty"
 * }
 * }</pre>
 */
public final class InvalidOptionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;
    private final String reason;

    /**
     * @param option the builder method that sets it, e.g. {@code displayName}
     * @param label  the setting in plain words, e.g. {@code the display name}
     * @param reason what is wrong, e.g. {@code must not be empty}
     */
    public InvalidOptionException(String option, String label, String reason) {
        super(label + " " + reason);
        this.option = option;
        this.reason = reason;
    }

    /** The setting, named as its builder method is: {@code displayName}, {@code port}, {@code turnTimeout}... */
    public String option() {
        return option;
    }

    /** What is wrong with the value, without the setting's name: {@code must not be empty}. */
    public String reason() {
        return reason;
    }
}
