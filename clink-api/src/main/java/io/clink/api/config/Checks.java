package io.clink.api.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/** Value checks shared by the builders of this package; every failure names the option and the value. */
final class Checks {

    /** EMQX's resource-name rule, applied to cluster and link names. */
    static final Pattern NAME_PATTERN = Pattern.compile("^[0-9A-Za-z][-0-9A-Za-z_]*$");

    static final int MAX_NAME_LENGTH = 254;

    private Checks() {}

    static int range(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw InvalidConfigException.invalid(option, "must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    static long range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw InvalidConfigException.invalid(option, "must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    static Duration duration(String option, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, option);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw InvalidConfigException.invalid(
                    option, "must be between " + human(min) + " and " + human(max) + ", got " + human(value));
        }
        return value;
    }

    static String human(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.getNano() == 0 && d.getSeconds() % 3600 == 0) {
            return d.getSeconds() / 3600 + "h";
        }
        if (d.getNano() == 0 && d.getSeconds() % 60 == 0) {
            return d.getSeconds() / 60 + "m";
        }
        if (d.getNano() == 0) {
            return d.getSeconds() + "s";
        }
        if (d.getNano() % 1_000_000 == 0) {
            return d.toMillis() + "ms";
        }
        return d.toString();
    }

    /** Cluster and link names: EMQX's resource-name rule, shorter than 255 characters. */
    static String name(String option, String value) {
        Objects.requireNonNull(value, option);
        if (value.isEmpty()) {
            throw InvalidConfigException.invalid(option, "must not be empty");
        }
        if (value.length() > MAX_NAME_LENGTH) {
            throw InvalidConfigException.invalid(
                    option,
                    "must be shorter than 255 characters, got " + value.length() + ": '" + shorten(value) + "'");
        }
        if (!NAME_PATTERN.matcher(value).matches()) {
            throw InvalidConfigException.invalid(
                    option,
                    "'" + shorten(value)
                            + "' must start with a letter or digit and contain only letters, digits, '-' and '_' " + "("
                            + NAME_PATTERN.pattern() + ")");
        }
        return value;
    }

    /** Strings sent in CONNECT or in topic levels: not empty, no control characters, bounded. */
    static String token(String option, String value, int maxLength) {
        Objects.requireNonNull(value, option);
        if (value.isEmpty()) {
            throw InvalidConfigException.invalid(option, "must not be empty");
        }
        if (value.length() > maxLength) {
            throw InvalidConfigException.invalid(
                    option, "must be at most " + maxLength + " characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i)) || Character.isWhitespace(value.charAt(i))) {
                throw InvalidConfigException.invalid(
                        option,
                        "must not contain whitespace or control characters (index " + i + "): '" + shorten(value)
                                + "'");
            }
        }
        return value;
    }

    /** Names that become a level of a topic (the actor's response topic) must not hold a separator or wildcard. */
    static String actorName(String option, String actorName) {
        token(option, actorName, 255);
        for (char c : new char[] {'/', '+', '#'}) {
            if (actorName.indexOf(c) >= 0) {
                throw InvalidConfigException.invalid(
                        option,
                        "must not contain '" + c + "' (it is a level of the response topic): '" + actorName + "'");
            }
        }
        return actorName;
    }

    /** MQTT strings must not hold U+0000; {@code showValue} false keeps a secret out of the message. */
    static String noNul(String option, String value, boolean showValue) {
        if (value.indexOf('\u0000') >= 0) {
            throw InvalidConfigException.invalid(
                    option, "must not contain U+0000" + (showValue ? ": '" + value + "'" : " (value not shown)"));
        }
        return value;
    }

    /** MQTT carries some durations in whole seconds; a fraction would be cut silently. */
    static Duration wholeSeconds(String option, Duration value) {
        if (value.getNano() != 0) {
            throw InvalidConfigException.invalid(option, "must be whole seconds, got " + value);
        }
        return value;
    }

    static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /**
     * Remembers which options a builder has set, so that {@code build()} can refuse an option set twice (a likely
     * mistake, such as two conflicting lines for the same field).
     */
    static final class SetOnce {
        private final Set<String> set = new LinkedHashSet<>();
        private final Set<String> twice = new LinkedHashSet<>();

        void mark(String option) {
            if (!set.add(option)) {
                twice.add(option);
            }
        }

        boolean isSet(String option) {
            return set.contains(option);
        }

        void check() {
            if (!twice.isEmpty()) {
                String first = twice.iterator().next();
                throw new InvalidConfigException(
                        first,
                        InvalidConfigException.DUPLICATE_OPTION,
                        "set more than once (options set twice: " + twice + ")");
            }
        }
    }
}
