package io.clink.core.internal.etf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TermOrderTest {
    private static final TermOrder ORDER = TermOrder.INSTANCE;

    @Test
    void compare_typeRanks_followErlangTermOrder() {
        List<Term> ascending = List.of(
                ErlInteger.of(5),
                ErlFloat.of(0.5),
                ErlAtom.of("a"),
                ErlTuple.of(ErlInteger.of(1)),
                ErlMap.EMPTY,
                ErlList.NIL,
                ErlList.of(ErlInteger.of(1)),
                ErlBinary.utf8(""));
        for (int i = 0; i + 1 < ascending.size(); i++) {
            assertThat(ORDER.compare(ascending.get(i), ascending.get(i + 1)))
                    .as("%s < %s", ascending.get(i), ascending.get(i + 1))
                    .isNegative();
            assertThat(ORDER.compare(ascending.get(i + 1), ascending.get(i))).isPositive();
        }
    }

    @Test
    void compare_withinTypes_erlangRules() {
        assertThat(ORDER.compare(ErlAtom.of("User-Property"), ErlAtom.of("peerhost")))
                .isNegative();
        assertThat(ORDER.compare(ErlTuple.of(ErlInteger.of(9)), ErlTuple.of(ErlInteger.of(1), ErlInteger.of(1))))
                .isNegative();
        assertThat(ORDER.compare(ErlBinary.utf8("ab"), ErlBinary.utf8("b"))).isNegative();
        assertThat(ORDER.compare(ErlBinary.utf8("a"), ErlBinary.utf8("ab"))).isNegative();
        assertThat(ORDER.compare(ErlBinary.wrap(new byte[] {(byte) 0x80}), ErlBinary.utf8("a")))
                .isPositive();
        assertThat(ORDER.compare(ErlList.of(ErlInteger.of(1)), ErlList.of(ErlInteger.of(1), ErlInteger.of(0))))
                .isNegative();
        // [1|a] vs [1]: the tail 'a' (an atom) sorts before [] (nil).
        assertThat(ORDER.compare(ErlList.improper(List.of(ErlInteger.of(1)), ErlAtom.OK), ErlList.of(ErlInteger.of(1))))
                .isNegative();
        assertThat(ORDER.compare(
                        ErlMap.of(ErlInteger.of(1), ErlInteger.of(9)), ErlMap.of(ErlInteger.of(2), ErlInteger.of(0))))
                .isNegative();
        assertThat(ORDER.compare(
                        ErlInteger.of(Long.MAX_VALUE), ErlBigInteger.integer(java.math.BigInteger.ONE.shiftLeft(70))))
                .isNegative();
    }

    @Test
    void compare_randomTerms_isAConsistentTotalOrder() {
        RandomTerms gen = new RandomTerms(7);
        List<Term> terms = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            terms.add(gen.term(3));
        }
        for (Term a : terms) {
            assertThat(ORDER.compare(a, a)).isZero();
            for (Term b : terms) {
                int ab = Integer.signum(ORDER.compare(a, b));
                assertThat(Integer.signum(ORDER.compare(b, a))).isEqualTo(-ab);
                assertThat(ab == 0).isEqualTo(a.equals(b));
            }
        }
    }
}
