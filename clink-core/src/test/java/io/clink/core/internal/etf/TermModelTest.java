package io.clink.core.internal.etf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class TermModelTest {
    @Test
    void atom_over255Characters_rejectedNamingTheCount() {
        assertThat(ErlAtom.of("é".repeat(255)).utf8Length()).isEqualTo(510);
        assertThatThrownBy(() -> ErlAtom.of("a".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256 characters");
        assertThatThrownBy(() -> ErlAtom.of("bad\uD800")).hasMessageContaining("unpaired surrogate at index 3");
    }

    @Test
    void bigInteger_withinLongRange_isCanonicalErlInteger() {
        assertThat(ErlBigInteger.integer(BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo(ErlInteger.of(Long.MAX_VALUE));
        assertThat(ErlBigInteger.integer(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE)))
                .isInstanceOf(ErlBigInteger.class);
    }

    @Test
    void float_nonFinite_rejected() {
        assertThatThrownBy(() -> ErlFloat.of(Double.NaN)).hasMessageContaining("not finite");
        assertThatThrownBy(() -> ErlFloat.of(Double.NEGATIVE_INFINITY)).hasMessageContaining("not finite");
    }

    @Test
    void list_listTail_foldedIntoElements() {
        ErlList nested =
                ErlList.improper(List.of(ErlInteger.of(1)), ErlList.improper(List.of(ErlInteger.of(2)), ErlAtom.OK));
        assertThat(nested.elements()).containsExactly(ErlInteger.of(1), ErlInteger.of(2));
        assertThat(nested.tail()).isEqualTo(ErlAtom.OK);
        assertThat(ErlList.improper(List.of(ErlInteger.of(1)), ErlList.NIL)).isEqualTo(ErlList.of(ErlInteger.of(1)));
        assertThatThrownBy(() -> ErlList.improper(List.of(), ErlAtom.OK)).hasMessageContaining("at least one element");
    }

    @Test
    void map_duplicateOrOddArguments_rejected() {
        assertThatThrownBy(() -> ErlMap.of(ErlAtom.OK, ErlAtom.OK, ErlAtom.OK, ErlAtom.ERROR))
                .hasMessageContaining("duplicate map key ok");
        assertThatThrownBy(() -> ErlMap.of(ErlAtom.OK)).hasMessageContaining("got 1 terms");
    }

    @Test
    void map_equalityIgnoresOrder() {
        assertThat(ErlMap.of(ErlInteger.of(1), ErlAtom.OK, ErlInteger.of(2), ErlAtom.ERROR))
                .isEqualTo(ErlMap.of(ErlInteger.of(2), ErlAtom.ERROR, ErlInteger.of(1), ErlAtom.OK));
    }

    @Test
    void binary_equalityByContentAcrossViews() {
        byte[] arr = {9, 1, 2, 9};
        assertThat(ErlBinary.wrap(arr, 1, 2)).isEqualTo(ErlBinary.wrap(new byte[] {1, 2}));
        assertThat(ErlBinary.wrap(arr, 1, 2).hashCode())
                .isEqualTo(ErlBinary.wrap(new byte[] {1, 2}).hashCode());
        assertThat(ErlBinary.wrap(new byte[] {(byte) 0xff}).utf8OrNull()).isNull();
        assertThatThrownBy(() -> ErlBinary.wrap(arr, 3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void toString_printsErlangSyntax() {
        assertThat(ErlMap.of(
                        ErlAtom.of("$op"),
                        ErlBinary.utf8("route"),
                        ErlInteger.of(12),
                        ErlList.of(ErlTuple.of(ErlBinary.wrap(new byte[] {0, 1}), ErlAtom.OK))))
                .hasToString("#{'$op' => <<\"route\">>,12 => [{<<0,1>>,ok}]}");
    }

    @Test
    void limits_builder_validatesEachBound() {
        assertThatThrownBy(() -> EtfLimits.builder().maxPayloadBytes(1)).hasMessageContaining("got 1");
        assertThatThrownBy(() -> EtfLimits.builder().maxInflatedBytes(0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> EtfLimits.builder().maxDepth(0)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> EtfLimits.builder().maxDepth(1025)).hasMessageContaining("got 1025");
        EtfLimits d = EtfLimits.defaults();
        assertThat(List.of(d.maxPayloadBytes(), d.maxInflatedBytes(), d.maxDepth()))
                .containsExactly(16 << 20, 16 << 20, 64);
    }
}
