package io.clink.broker.internal;

import io.clink.core.config.ConfigLoadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The management API's keys, read from EMQX's {@code api_key.bootstrap_file}: one key a line, {@code
 * key:secret[:role]}, role {@code administrator} (the default, may write) or {@code viewer} (may only read). Blank
 * lines and lines starting with {@code #} are skipped. A request authenticates with HTTP Basic, the key as user name
 * and the secret as password, as with EMQX.
 *
 * <p>Only a hash of each secret is kept, and secrets are compared by hash in constant time, so that neither a heap
 * dump nor response timing gives one away. Immutable and thread-safe.
 */
public final class ApiKeys {

    /** What a key may do. */
    public enum Role {
        /** Reads and writes. */
        ADMINISTRATOR,
        /** Reads only; a write is answered 403. */
        VIEWER;

        /** The name EMQX uses in the bootstrap file. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** No keys: the API is read-only and unauthenticated. */
    public static final ApiKeys NONE = new ApiKeys(Map.of());

    /** Largest bootstrap file read; a key file is a few lines, a bigger file is a mistake. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final String SETTING = "api_key.bootstrap_file";

    private record Entry(byte[] secretHash, Role role) {}

    private final Map<String, Entry> keys;

    private ApiKeys(Map<String, Entry> keys) {
        this.keys = Map.copyOf(keys);
    }

    /**
     * Reads a bootstrap file.
     *
     * <p>Blocking: reads the file. Any thread.
     *
     * @param file the file, not null
     * @return the keys, at least one
     * @throws ConfigLoadException naming the file and, for a bad line, its number; a secret is never shown
     */
    public static ApiKeys read(Path file) {
        Objects.requireNonNull(file, "file");
        List<String> lines;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw error(file.toString(), "is larger than " + MAX_FILE_BYTES + " bytes; it should list a few keys");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw error(file.toString(), "cannot be read: " + e);
        }
        return parse(file.toString(), lines);
    }

    /**
     * Parses the lines of a bootstrap file.
     *
     * @param origin how messages name the file
     * @param lines its lines
     * @return the keys, at least one
     * @throws ConfigLoadException naming {@code origin:line} for a bad line, or the origin when no key is listed
     */
    public static ApiKeys parse(String origin, List<String> lines) {
        Map<String, Entry> keys = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = origin + ":" + (i + 1);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", -1);
            if (parts.length < 2 || parts.length > 3) {
                throw error(where, "must be key:secret or key:secret:role (line not shown, it may hold a secret)");
            }
            String key = parts[0];
            if (!KEY.matcher(key).matches()) {
                throw error(where, "key '" + shown(key) + "' must be 1..128 letters, digits, '_', '.' or '-'");
            }
            if (parts[1].isEmpty()) {
                throw error(where, "key '" + key + "' has an empty secret");
            }
            Role role = Role.ADMINISTRATOR;
            if (parts.length == 3) {
                role = role(where, key, parts[2]);
            }
            if (keys.putIfAbsent(key, new Entry(hash(parts[1]), role)) != null) {
                throw error(where, "key '" + key + "' is listed twice");
            }
        }
        if (keys.isEmpty()) {
            throw error(origin, "lists no key (lines key:secret[:role])");
        }
        return new ApiKeys(keys);
    }

    private static Role role(String where, String key, String text) {
        switch (text) {
            case "administrator":
                return Role.ADMINISTRATOR;
            case "viewer":
                return Role.VIEWER;
            case "publisher":
                throw error(
                        where,
                        "key '" + key + "': role 'publisher' is for EMQX's publish API, which clink-broker does not "
                                + "have; use administrator or viewer");
            default:
                throw error(where, "key '" + key + "': role '" + shown(text) + "' must be administrator or viewer");
        }
    }

    /** Whether any key is configured; without one the API is read-only and open. */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** How many keys there are. */
    public int size() {
        return keys.size();
    }

    /**
     * Checks an {@code Authorization} header.
     *
     * <p>Any thread; does not block.
     *
     * @param authorization the header's value, or null when there is none
     * @return the key's role, or empty when the header is missing, not Basic, malformed, or names an unknown key or
     *     a wrong secret
     */
    public Optional<Role> authenticate(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        Entry entry = keys.get(decoded.substring(0, colon));
        byte[] given = hash(decoded.substring(colon + 1));
        // Equal-length hashes compared in constant time: the answer's timing says nothing about the secret.
        if (entry == null || !MessageDigest.isEqual(entry.secretHash(), given)) {
            return Optional.empty();
        }
        return Optional.of(entry.role());
    }

    @Override
    public String toString() {
        return "ApiKeys[" + keys.size() + " keys]";
    }

    private static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String shown(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static ConfigLoadException error(String where, String detail) {
        return new ConfigLoadException(where, SETTING, where + ": " + SETTING + ": " + detail, null);
    }
}
