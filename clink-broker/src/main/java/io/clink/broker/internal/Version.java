package io.clink.broker.internal;

/** The version of clink, from the jar manifest when packaged. */
public final class Version {

    /** The version, or {@code dev} when not run from a packaged jar. */
    public static final String VALUE = value();

    private Version() {}

    private static String value() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
