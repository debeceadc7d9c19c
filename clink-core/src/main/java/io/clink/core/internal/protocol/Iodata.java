package io.clink.core.internal.protocol;

import io.clink.core.internal.etf.ErlBinary;
import io.clink.core.internal.etf.ErlInteger;
import io.clink.core.internal.etf.ErlList;
import io.clink.core.internal.etf.ProtocolException;
import io.clink.core.internal.etf.Term;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/** Erlang's iodata, the type of {@code #message.payload}: a binary, or a (possibly nested) list of binaries and bytes. */
final class Iodata {
    private Iodata() {}

    /**
     * Flattens iodata into one buffer; a binary is wrapped without a copy.
     *
     * @param t the term
     * @param field the field's name for error messages
     * @return a read-only buffer over the bytes
     * @throws ProtocolException if the term is not iodata
     */
    static ByteBuffer toReadOnlyBuffer(Term t, String field) throws ProtocolException {
        if (t instanceof ErlBinary) {
            return ((ErlBinary) t).asReadOnlyByteBuffer();
        }
        if (!(t instanceof ErlList)) {
            throw new ProtocolException(field + " must be a binary or an iolist, found " + t);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Iterative, so a deep iolist cannot overflow the stack (the decoder bounded its depth anyway).
        Deque<Iterator<Term>> stack = new ArrayDeque<>();
        stack.push(parts((ErlList) t, field).iterator());
        while (!stack.isEmpty()) {
            Iterator<Term> it = stack.peek();
            if (!it.hasNext()) {
                stack.pop();
                continue;
            }
            Term part = it.next();
            if (part instanceof ErlBinary) {
                ErlBinary b = (ErlBinary) part;
                out.write(b.toByteArray(), 0, b.length());
            } else if (part instanceof ErlInteger
                    && ((ErlInteger) part).value() >= 0
                    && ((ErlInteger) part).value() <= 255) {
                out.write((int) ((ErlInteger) part).value());
            } else if (part instanceof ErlList) {
                stack.push(parts((ErlList) part, field).iterator());
            } else {
                throw new ProtocolException(
                        field + " iolist holds " + part + "; only binaries, bytes 0-255 and lists are allowed");
            }
        }
        return ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer();
    }

    private static List<Term> parts(ErlList list, String field) throws ProtocolException {
        Term tail = list.tail();
        if (tail == null) {
            return list.elements();
        }
        if (!(tail instanceof ErlBinary)) {
            throw new ProtocolException(field + " iolist tail must be a binary, found " + tail);
        }
        List<Term> parts = new ArrayList<>(list.elements());
        parts.add(tail);
        return parts;
    }
}
