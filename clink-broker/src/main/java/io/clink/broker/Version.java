package io.clink.broker;

/** The version of clink, from the jar manifest when packaged. */
final class Version {

    static final String VALUE = value();

    private Version() {}

    private static String value() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
