package io.clink.core.internal.etf;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A seeded generator of arbitrary terms of the protocol's subset, for round-trip and cross-check tests. */
public final class RandomTerms {
    private static final String[] ATOMS = {
        "ok",
        "error",
        "true",
        "false",
        "undefined",
        "message",
        "dup",
        "retain",
        "properties",
        "username",
        "mqtt",
        "$op",
        "User-Property",
        "peerhost"
    };

    private final Random random;

    public RandomTerms(long seed) {
        this.random = new Random(seed);
    }

    public Term term(int depth) {
        int kind = random.nextInt(depth <= 0 ? 6 : 10);
        switch (kind) {
            case 0:
                return integer();
            case 1:
                return ErlAtom.of(ATOMS[random.nextInt(ATOMS.length)]);
            case 2:
                return binary(random.nextInt(4) == 0 ? 300 : 12);
            case 3:
                return ErlFloat.of(random.nextBoolean() ? random.nextDouble() * 1e6 - 5e5 : random.nextInt(100));
            case 4:
                return ErlList.NIL;
            case 5:
                return random.nextInt(8) == 0 ? ErlMap.EMPTY : integer();
            case 6: {
                Term[] els = new Term[random.nextInt(4)];
                for (int i = 0; i < els.length; i++) {
                    els[i] = term(depth - 1);
                }
                return ErlTuple.of(els);
            }
            case 7: {
                List<Term> els = new ArrayList<>();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    els.add(random.nextInt(3) == 0 ? ErlInteger.of(random.nextInt(256)) : term(depth - 1));
                }
                if (n > 0 && random.nextInt(6) == 0) {
                    return ErlList.improper(els, binary(3));
                }
                return ErlList.of(els);
            }
            default: {
                Map<Term, Term> m = new LinkedHashMap<>();
                int n = random.nextInt(depth <= 1 && random.nextInt(4) == 0 ? 40 : 5);
                for (int i = 0; i < n; i++) {
                    m.put(term(depth - 1), term(depth - 1));
                }
                return ErlMap.of(m);
            }
        }
    }

    public Term integer() {
        switch (random.nextInt(6)) {
            case 0:
                return ErlInteger.of(random.nextInt(256));
            case 1:
                return ErlInteger.of(random.nextInt());
            case 2:
                return ErlInteger.of(random.nextLong());
            case 3:
                return ErlInteger.of(random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE);
            case 4:
                return ErlBigInteger.integer(new BigInteger(64 + random.nextInt(200), random)
                        .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)));
            default:
                return ErlBigInteger.integer(new BigInteger(2100 + random.nextInt(100), random));
        }
    }

    public ErlBinary binary(int maxLength) {
        byte[] b = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(b);
        return ErlBinary.wrap(b);
    }
}
