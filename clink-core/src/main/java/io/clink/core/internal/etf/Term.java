package io.clink.core.internal.etf;

/**
 * An immutable Erlang term. Equality follows Erlang's exact equality ({@code =:=}): the integer {@code 1} and the
 * float {@code 1.0} differ, map entry order does not matter, list and tuple order does.
 *
 * <p>Every term can be encoded back to ETF: {@link ErlOpaque} carries the raw bytes of terms this model does not
 * interpret (pids, references, ports, funs).
 */
public sealed interface Term
        permits ErlAtom, ErlInteger, ErlBigInteger, ErlFloat, ErlBinary, ErlTuple, ErlList, ErlMap, ErlOpaque {}
