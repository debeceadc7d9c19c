package io.clink.core.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A configuration file could not be loaded: it does not parse, a field has a wrong type or value, a required field
 * is missing, or a key is unknown. The message names the file (and line when known), the field path (for example
 * {@code cluster.links[0].topics}) and the offending value (passwords never shown), followed by the rule broken.
 *
 * @since 0.1.0
 */
public final class ConfigLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String origin;
    private final @Nullable String path;

    /**
     * Creates the exception.
     *
     * @param origin the file name (with {@code :line} when known) or another description of the source, not null
     * @param path the field path, or null when the error concerns the whole document (a syntax error)
     * @param message the full message, naming origin, path and value
     * @param cause the underlying error, or null
     * @since 0.1.0
     */
    public ConfigLoadException(String origin, @Nullable String path, String message, @Nullable Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.origin = Objects.requireNonNull(origin, "origin");
        this.path = path;
    }

    /**
     * Where the error is: the file name, followed by {@code :line} when the line is known.
     *
     * @return the origin
     * @since 0.1.0
     */
    public String origin() {
        return origin;
    }

    /**
     * The path of the field at fault, such as {@code cluster.links[0].ssl.verify}.
     *
     * @return the path, or null for an error of the whole document
     * @since 0.1.0
     */
    public @Nullable String path() {
        return path;
    }
}
