package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlTuple;
import io.clink.core.internal.etf.Term;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * IP addresses as Erlang writes them: an IPv4 address is a 4-tuple of bytes, an IPv6 address an 8-tuple of 16-bit
 * groups. EMQX puts them in {@code headers.peerhost} and in the first element of {@code headers.peername}.
 */
public final class IpTuples {
    private IpTuples() {}

    /**
     * Reads an address tuple. An IPv4-mapped IPv6 8-tuple reads as its IPv4 address, as {@link InetAddress} does.
     *
     * @param t any term, or null
     * @return the address, or {@code null} when the term is not a 4-tuple of 0..255 or an 8-tuple of 0..65535
     */
    public static @Nullable InetAddress addressOrNull(@Nullable Term t) {
        if (!(t instanceof ErlTuple) || (((ErlTuple) t).arity() != 4 && ((ErlTuple) t).arity() != 8)) {
            return null;
        }
        ErlTuple tuple = (ErlTuple) t;
        int width = tuple.arity() == 4 ? 1 : 2;
        byte[] bytes = new byte[tuple.arity() * width];
        for (int i = 0; i < tuple.arity(); i++) {
            if (!(tuple.get(i) instanceof ErlInteger)) {
                return null;
            }
            long part = ((ErlInteger) tuple.get(i)).value();
            if (part < 0 || part >= (1L << (8 * width))) {
                return null;
            }
            if (width == 1) {
                bytes[i] = (byte) part;
            } else {
                bytes[2 * i] = (byte) (part >>> 8);
                bytes[2 * i + 1] = (byte) part;
            }
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 address bytes are always valid", e);
        }
    }

    /**
     * Writes an address as its tuple.
     *
     * @param address an IPv4 or IPv6 address
     * @return the 4-tuple or 8-tuple
     */
    public static ErlTuple of(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return ErlTuple.of(
                    ErlInteger.of(b[0] & 0xff),
                    ErlInteger.of(b[1] & 0xff),
                    ErlInteger.of(b[2] & 0xff),
                    ErlInteger.of(b[3] & 0xff));
        }
        Term[] parts = new Term[8];
        for (int i = 0; i < 8; i++) {
            parts[i] = ErlInteger.of(((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff));
        }
        return ErlTuple.of(parts);
    }
}
