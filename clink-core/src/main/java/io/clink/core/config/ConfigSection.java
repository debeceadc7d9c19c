package io.clink.core.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One object of a parsed HOCON document, read field by field with EMQX's value conventions (durations such as
 * {@code 15s}, sizes such as {@code 256MB}, {@code file://} secrets) and errors that name the file, the line, the
 * field path and the value. Reading never changes the document; a section is cheap and not thread-safe.
 *
 * <p>This is what an adapter or a runner uses to read its own keys beside {@code cluster} in the same file (for
 * example {@code listeners} or {@code hivemq}) with the same error messages as clink's own options: get the root
 * from {@link ConfigDocument#root}, then descend with {@link #section} and read values with the typed getters.
 * Every getter returns empty for an absent or {@code null} key and throws {@link ConfigLoadException} naming the
 * origin, line, path and value for a value of the wrong type or out of range.
 *
 * <p>Null ({@code key = null}) counts as absent, so a value can be cleared by a later include or override.
 *
 * @since 0.1.0
 */
public final class ConfigSection {

    /** EMQX durations: one or more {@code <integer><unit>} parts, as {@code 1h30m}. */
    private static final Pattern DURATION_PART = Pattern.compile("(\\d{1,12})(ms|s|m|h|d|w)", Pattern.CASE_INSENSITIVE);

    private static final Pattern BYTE_SIZE =
            Pattern.compile("(\\d{1,19})\\s*([kmgt]i?b?|b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern INDEXED = Pattern.compile("(.+)\\[(\\d{1,9})]");
    private static final String FILE_SECRET = "file://";
    private static final String SECRET_SHOWN = "\"******\"";

    private final ConfigObject object;
    private final String path;
    private final Source source;

    /**
     * Where a document came from: the name used in messages and the directory relative file names resolve against.
     *
     * @param name the file's path as the user gave it, or a description such as {@code <string>}
     * @param baseDirectory the directory of the file, for relative file names
     * @param warnings receives one line per accepted-but-ignored option
     */
    record Source(String name, Path baseDirectory, Consumer<String> warnings) {}

    private ConfigSection(ConfigObject object, String path, Source source) {
        this.object = object;
        this.path = path;
        this.source = source;
    }

    /**
     * The root object of a document.
     *
     * @param root the parsed, resolved document
     * @param source where it came from
     * @return the root section, with an empty path
     */
    static ConfigSection root(ConfigObject root, Source source) {
        return new ConfigSection(root, "", source);
    }

    /** The path of this section, such as {@code cluster.links[0]}; empty for the root. */
    public String path() {
        return path;
    }

    /** The path of one of this section's keys. */
    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Whether a key is present with a non-null value. */
    public boolean has(String key) {
        ConfigValue v = object.get(key);
        return v != null && v.valueType() != ConfigValueType.NULL;
    }

    /** The keys present, in document order is not kept by HOCON; sorted for stable messages. */
    public Set<String> keys() {
        return new TreeSet<>(object.keySet());
    }

    /**
     * Refuses keys outside {@code known}. Keys in {@code ignored} are accepted with a warning (options of EMQX that
     * mean nothing to clink); keys in {@code unsupported} are refused with the reason given.
     *
     * @throws ConfigLoadException naming the first offending key, with a suggestion for a likely typo
     */
    public void checkKeys(Collection<String> known, Map<String, String> ignored, Map<String, String> unsupported) {
        for (String key : keys()) {
            if (known.contains(key)) {
                continue;
            }
            if (ignored.containsKey(key)) {
                source.warnings()
                        .accept(where(Objects.requireNonNull(object.get(key))) + ": " + pathOf(key) + " is ignored: "
                                + ignored.get(key));
                continue;
            }
            if (unsupported.containsKey(key)) {
                throw error(key, "is not supported by clink: " + unsupported.get(key));
            }
            String suggestion = Suggestions.closest(key, known);
            throw error(
                    key,
                    "unknown key '" + key + "' in " + (path.isEmpty() ? "the document" : path)
                            + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)")
                            + "; allowed keys: " + new TreeSet<>(known));
        }
    }

    /** A nested object, if present. */
    public Optional<ConfigSection> section(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            throw error(key, "must be an object { ... }, got " + describe(v));
        }
        return Optional.of(new ConfigSection((ConfigObject) v, pathOf(key), source));
    }

    /** A list of objects, if present; element paths are {@code key[i]}. */
    public Optional<List<ConfigSection>> sections(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.valueType() != ConfigValueType.LIST) {
            throw error(key, "must be a list [ {...}, ... ], got " + describe(v));
        }
        List<ConfigSection> out = new ArrayList<>();
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue e = list.get(i);
            String p = pathOf(key) + "[" + i + "]";
            if (e.valueType() != ConfigValueType.OBJECT) {
                throw error(e, p, "must be an object { ... }, got " + describe(e));
            }
            out.add(new ConfigSection((ConfigObject) e, p, source));
        }
        return Optional.of(out);
    }

    /** A string; numbers and booleans are taken as their text, as HOCON does. */
    public Optional<String> string(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(scalarText(v, pathOf(key), "a string"));
    }

    /** A string that must be present. */
    public String requireString(String key) {
        return string(key).orElseThrow(() -> missing(key));
    }

    /**
     * A secret: a string, or {@code file://<path>} naming a file whose content (trailing line breaks removed) is the
     * secret, as EMQX does. The value is never shown in messages.
     */
    public Optional<String> secret(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.valueType() != ConfigValueType.STRING) {
            throw error(v, pathOf(key), "must be a string (value not shown)");
        }
        String s = (String) v.unwrapped();
        if (!s.startsWith(FILE_SECRET)) {
            return Optional.of(s);
        }
        Path file = resolve(s.substring(FILE_SECRET.length()));
        try {
            String content = java.nio.file.Files.readString(file);
            return Optional.of(content.replaceAll("[\\r\\n]+$", ""));
        } catch (java.io.IOException | SecurityException e) {
            throw error(
                    v,
                    pathOf(key),
                    "cannot read the secret file " + file + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /** A boolean: {@code true} or {@code false} (HOCON's {@code yes}/{@code on} forms too). */
    public Optional<Boolean> bool(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.valueType() == ConfigValueType.BOOLEAN) {
            return Optional.of((Boolean) v.unwrapped());
        }
        if (v.valueType() == ConfigValueType.STRING) {
            switch (((String) v.unwrapped()).toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on":
                    return Optional.of(true);
                case "false", "no", "off":
                    return Optional.of(false);
                default:
                    break;
            }
        }
        throw error(key, "must be true or false");
    }

    /** A whole number; the caller checks the range with the option's own rule. */
    public Optional<Long> integer(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        String text = scalarText(v, pathOf(key), "an integer").trim();
        if (!text.matches("-?\\d{1,19}")) {
            throw error(key, "must be an integer");
        }
        BigInteger b = new BigInteger(text);
        if (b.bitLength() > 63) {
            throw error(key, "must be an integer that fits 64 bits");
        }
        return Optional.of(b.longValueExact());
    }

    /** A whole number in the {@code int} range. */
    public Optional<Integer> int32(String key) {
        Optional<Long> l = integer(key);
        if (l.isPresent() && (l.get() < Integer.MIN_VALUE || l.get() > Integer.MAX_VALUE)) {
            throw error(key, "must be at most " + Integer.MAX_VALUE);
        }
        return l.map(Long::intValue);
    }

    /** A number, integral or decimal. */
    public Optional<Double> number(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        String text = scalarText(v, pathOf(key), "a number").trim();
        try {
            double d = Double.parseDouble(text);
            if (!Double.isFinite(d)) {
                throw error(key, "must be a finite number");
            }
            return Optional.of(d);
        } catch (NumberFormatException e) {
            throw error(key, "must be a number");
        }
    }

    /**
     * A duration as EMQX writes it: {@code 500ms}, {@code 15s}, {@code 1m}, {@code 1h30m}, {@code 2d}, {@code 1w};
     * a bare integer is milliseconds.
     */
    public Optional<Duration> duration(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        String text = scalarText(v, pathOf(key), "a duration").trim();
        Duration d = parseDuration(text);
        if (d == null) {
            throw error(key, "must be a duration such as 500ms, 15s, 1m, 1h30m or 2d (a bare integer is milliseconds)");
        }
        return Optional.of(d);
    }

    /** A byte size as EMQX writes it: {@code 256MB}, {@code 64KB}, {@code 1GB} (1024-based); a bare integer is bytes. */
    public Optional<Long> bytes(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        String text = scalarText(v, pathOf(key), "a size").trim();
        Long n = parseBytes(text);
        if (n == null) {
            throw error(key, "must be a size such as 1024, 64KB, 256MB or 1GB (1024-based)");
        }
        return Optional.of(n);
    }

    /** A list of strings; element paths are {@code key[i]}. */
    public Optional<List<String>> strings(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.valueType() != ConfigValueType.LIST) {
            throw error(key, "must be a list of strings [\"...\", ...], got " + describe(v));
        }
        ConfigList list = (ConfigList) v;
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(scalarText(list.get(i), pathOf(key) + "[" + i + "]", "a string"));
        }
        return Optional.of(out);
    }

    /** A file name, resolved against the document's directory when relative. */
    public Optional<Path> file(String key) {
        return string(key).map(s -> {
            if (s.isBlank()) {
                throw error(key, "must name a file");
            }
            try {
                return resolve(s);
            } catch (java.nio.file.InvalidPathException e) {
                throw error(key, "is not a valid file name: " + e.getReason());
            }
        });
    }

    /** An error about this section's key, naming its value if present. */
    public ConfigLoadException error(String key, String detail) {
        ConfigValue v = object.get(key);
        return error(v, pathOf(key), detail);
    }

    /** An error about this section as a whole. */
    public ConfigLoadException error(String detail) {
        return error(object, path, detail);
    }

    /** A required key is missing. */
    public ConfigLoadException missing(String key) {
        return make(object, pathOf(key), false, "is required", null);
    }

    /**
     * An error naming the origin, the path and a value found at {@code subPath} below this section (dot-separated
     * keys, as an option name like {@code resource_opts.request_ttl}); the value is left out when absent.
     */
    public ConfigLoadException errorAt(String subPath, String detail, @Nullable Throwable cause) {
        ConfigValue found = object;
        boolean complete = true;
        for (String part : subPath.split("\\.")) {
            ConfigValue next = child(found, part);
            if (next == null) {
                complete = false;
                break;
            }
            found = next;
        }
        return make(found, pathOf(subPath), complete || !(found instanceof ConfigObject), detail, cause);
    }

    /** One step of a path: {@code key} or {@code key[index]}. */
    private static @Nullable ConfigValue child(ConfigValue parent, String part) {
        Matcher m = INDEXED.matcher(part);
        String key = m.matches() ? m.group(1) : part;
        ConfigValue v = parent instanceof ConfigObject ? ((ConfigObject) parent).get(key) : null;
        if (v != null && m.matches()) {
            int i = Integer.parseInt(m.group(2));
            v = v instanceof ConfigList && i < ((ConfigList) v).size() ? ((ConfigList) v).get(i) : null;
        }
        return v;
    }

    private ConfigLoadException error(@Nullable ConfigValue v, String p, String detail) {
        return v == null ? make(object, p, false, detail, null) : make(v, p, true, detail, null);
    }

    private ConfigLoadException make(
            ConfigValue at, String p, boolean showValue, String detail, @Nullable Throwable cause) {
        String where = where(at);
        String shown = showValue ? " = " + render(at, p) : "";
        return new ConfigLoadException(where, p, where + ": " + p + shown + ": " + detail, cause);
    }

    private String where(ConfigValue v) {
        int line = v.origin() == null ? -1 : v.origin().lineNumber();
        return line > 0 ? source.name() + ":" + line : source.name();
    }

    private static String render(ConfigValue v, String p) {
        if (isSecretPath(p)) {
            return SECRET_SHOWN;
        }
        String s = v.render(ConfigRenderOptions.concise());
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static boolean isSecretPath(String p) {
        return p.endsWith(".password") || p.equals("password");
    }

    private @Nullable ConfigValue value(String key) {
        ConfigValue v = object.get(key);
        return v == null || v.valueType() == ConfigValueType.NULL ? null : v;
    }

    private String scalarText(ConfigValue v, String p, String what) {
        switch (v.valueType()) {
            case STRING:
                return (String) v.unwrapped();
            case NUMBER:
            case BOOLEAN:
                return v.render(ConfigRenderOptions.concise());
            default:
                throw error(v, p, "must be " + what + ", got " + describe(v));
        }
    }

    private static String describe(ConfigValue v) {
        switch (v.valueType()) {
            case OBJECT:
                return "an object";
            case LIST:
                return "a list";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            case STRING:
                return "a string";
            default:
                return "null";
        }
    }

    private Path resolve(String name) {
        Path p = Path.of(name);
        return p.isAbsolute() ? p : source.baseDirectory().resolve(p).normalize();
    }

    /**
     * Parses an EMQX duration.
     *
     * @return the duration, or null if the text is not one
     */
    static @Nullable Duration parseDuration(String text) {
        if (text.matches("\\d{1,15}")) {
            return Duration.ofMillis(Long.parseLong(text));
        }
        Matcher m = DURATION_PART.matcher(text);
        int at = 0;
        Duration total = Duration.ZERO;
        while (at < text.length()) {
            m.region(at, text.length());
            if (!m.lookingAt()) {
                return null;
            }
            long n = Long.parseLong(m.group(1));
            Duration part;
            switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms":
                    part = Duration.ofMillis(n);
                    break;
                case "s":
                    part = Duration.ofSeconds(n);
                    break;
                case "m":
                    part = Duration.ofMinutes(n);
                    break;
                case "h":
                    part = Duration.ofHours(n);
                    break;
                case "d":
                    part = Duration.ofDays(n);
                    break;
                default:
                    part = Duration.ofDays(n * 7);
                    break;
            }
            total = total.plus(part);
            at = m.end();
        }
        return at == 0 ? null : total;
    }

    /**
     * Parses an EMQX byte size.
     *
     * @return the size in bytes, or null if the text is not one or overflows
     */
    static @Nullable Long parseBytes(String text) {
        Matcher m = BYTE_SIZE.matcher(text);
        if (!m.matches()) {
            return null;
        }
        BigInteger n = new BigInteger(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift;
        switch (unit.charAt(0)) {
            case 'k':
                shift = 10;
                break;
            case 'm':
                shift = 20;
                break;
            case 'g':
                shift = 30;
                break;
            case 't':
                shift = 40;
                break;
            default:
                shift = 0;
                break;
        }
        BigInteger bytes = n.shiftLeft(shift);
        return bytes.bitLength() > 63 ? null : bytes.longValueExact();
    }
}
