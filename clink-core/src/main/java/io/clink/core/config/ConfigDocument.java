package io.clink.core.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A parsed and resolved HOCON document, not yet interpreted: what {@link ClusterLinkConfigLoader#parseFile} and
 * {@link ClusterLinkConfigLoader#parseString} return, for callers that read more of the same file than the
 * {@code cluster} block (a runner's {@code listeners}, an adapter's own keys) with the same error messages.
 *
 * <p>Why a type of clink's own: the parser is an implementation detail of clink-core, so its types never appear in
 * a public signature and can change without breaking an adapter. Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ConfigDocument {
    private final Config resolved;

    ConfigDocument(Config resolved) {
        this.resolved = Objects.requireNonNull(resolved, "resolved");
    }

    /**
     * The document's root object, for reading keys outside {@code cluster}.
     *
     * <p>Any thread; does not block.
     *
     * @param originName how error messages name the document (a file's path as the user gave it), not null
     * @param baseDirectory the directory relative file names resolve against, not null
     * @param warnings receives one line per accepted-but-ignored option, not null; called on the reading thread
     * @return the root section
     * @since 0.1.0
     */
    public ConfigSection root(String originName, Path baseDirectory, Consumer<String> warnings) {
        return ConfigSection.root(
                resolved.root(),
                new ConfigSection.Source(
                        Objects.requireNonNull(originName, "originName"),
                        Objects.requireNonNull(baseDirectory, "baseDirectory"),
                        Objects.requireNonNull(warnings, "warnings")));
    }

    Config resolved() {
        return resolved;
    }
}
