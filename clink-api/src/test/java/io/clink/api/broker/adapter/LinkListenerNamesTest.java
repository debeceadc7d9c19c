package io.clink.api.broker.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkListenerNamesTest {

    @Test
    void copyOf_validNames_immutableCopy() {
        Set<String> given = new HashSet<>(Set.of("clink", "clink-tls"));

        Set<String> copy = LinkListenerNames.copyOf(given, "linkListenerNames", "name");
        given.clear();

        assertThat(copy).containsExactlyInAnyOrder("clink", "clink-tls");
        assertThatThrownBy(() -> copy.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void copyOf_empty_throwsNamingTheParameter() {
        assertThatThrownBy(() -> LinkListenerNames.copyOf(Set.of(), "linkAcceptorNames", "acceptor name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("linkAcceptorNames must hold at least one acceptor name and no empty name, got []");
    }

    @Test
    void copyOf_emptyName_throwsShowingTheSet() {
        assertThatThrownBy(() -> LinkListenerNames.copyOf(Set.of(""), "linkListenerNames", "name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("linkListenerNames must hold at least one name and no empty name, got []");
    }

    @Test
    void copyOf_null_throwsNamingTheParameter() {
        assertThatThrownBy(() -> LinkListenerNames.copyOf(null, "linkListenerNames", "name"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("linkListenerNames");
    }
}
