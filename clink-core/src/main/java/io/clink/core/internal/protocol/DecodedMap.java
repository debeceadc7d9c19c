package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlMap;
import java.util.List;

/**
 * A map EMQX sends as metadata ({@code #message.headers}, {@code headers.properties}), kept exactly as decoded so
 * that keys clink does not know survive a round trip, with typed views of the keys clink reads in the subclasses.
 * Two such maps are equal when their terms are.
 */
public abstract sealed class DecodedMap permits MessageHeaders, MessageProperties {
    private final ErlMap term;
    private final List<DroppedField> dropped;

    DecodedMap(ErlMap term, List<DroppedField> dropped) {
        this.term = term;
        this.dropped = dropped;
    }

    /**
     * Returns the term to send.
     *
     * @return the map, as decoded or built
     */
    public final ErlMap toTerm() {
        return term;
    }

    /**
     * Returns the fields present in the map that the typed views leave out because their values could not be typed,
     * one entry per value (two bad User-Property pairs list that kind twice); keys clink does not read at all (e.g.
     * {@code client_attrs}) are not listed.
     *
     * @return an unmodifiable list, empty when every value clink reads was typed
     */
    public final List<DroppedField> dropped() {
        return dropped;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((DecodedMap) o).term.equals(term);
    }

    @Override
    public final int hashCode() {
        return term.hashCode();
    }

    @Override
    public final String toString() {
        return term.toString();
    }
}
