package io.clink.core.internal.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.clink.core.ClusterLink;
import org.junit.jupiter.api.Test;

class BuilderSeamsTest {

    @Test
    void random_clusterLinkBuilder_acceptedAndReturnedForChaining() {
        ClusterLink.Builder builder = ClusterLink.builder();

        assertThat(BuilderSeams.random(builder, () -> 0.25)).isSameAs(builder);
    }

    @Test
    void random_notABuilder_refusedNamingTheType() {
        ClusterLink.builder();

        assertThatThrownBy(() -> BuilderSeams.random("text", () -> 0.25))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void register_second_refused() {
        ClusterLink.builder();

        assertThatThrownBy(() -> BuilderSeams.register(String.class, (s, r) -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already registered");
    }
}
