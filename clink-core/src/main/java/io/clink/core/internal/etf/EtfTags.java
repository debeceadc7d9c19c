package io.clink.core.internal.etf;

/** ETF tag bytes (erts {@code external.h}) and their names for error messages. */
final class EtfTags {
    static final int VERSION = 131;
    static final int COMPRESSED = 80;
    static final int NEW_FLOAT = 70;
    static final int BIT_BINARY = 77;
    static final int ATOM_CACHE_REF = 82;
    static final int NEW_PID = 88;
    static final int NEW_PORT = 89;
    static final int NEWER_REFERENCE = 90;
    static final int SMALL_INTEGER = 97;
    static final int INTEGER = 98;
    static final int FLOAT = 99;
    static final int ATOM = 100;
    static final int REFERENCE = 101;
    static final int PORT = 102;
    static final int PID = 103;
    static final int SMALL_TUPLE = 104;
    static final int LARGE_TUPLE = 105;
    static final int NIL = 106;
    static final int STRING = 107;
    static final int LIST = 108;
    static final int BINARY = 109;
    static final int SMALL_BIG = 110;
    static final int LARGE_BIG = 111;
    static final int NEW_FUN = 112;
    static final int EXPORT = 113;
    static final int NEW_REFERENCE = 114;
    static final int SMALL_ATOM = 115;
    static final int MAP = 116;
    static final int FUN = 117;
    static final int ATOM_UTF8 = 118;
    static final int SMALL_ATOM_UTF8 = 119;
    static final int V4_PORT = 120;
    static final int LOCAL = 121;

    private EtfTags() {}

    static String name(int tag) {
        String n;
        switch (tag) {
            case VERSION:
                n = "VERSION";
                break;
            case COMPRESSED:
                n = "COMPRESSED";
                break;
            case NEW_FLOAT:
                n = "NEW_FLOAT_EXT";
                break;
            case BIT_BINARY:
                n = "BIT_BINARY_EXT";
                break;
            case ATOM_CACHE_REF:
                n = "ATOM_CACHE_REF";
                break;
            case NEW_PID:
                n = "NEW_PID_EXT";
                break;
            case NEW_PORT:
                n = "NEW_PORT_EXT";
                break;
            case NEWER_REFERENCE:
                n = "NEWER_REFERENCE_EXT";
                break;
            case SMALL_INTEGER:
                n = "SMALL_INTEGER_EXT";
                break;
            case INTEGER:
                n = "INTEGER_EXT";
                break;
            case FLOAT:
                n = "FLOAT_EXT";
                break;
            case ATOM:
                n = "ATOM_EXT";
                break;
            case REFERENCE:
                n = "REFERENCE_EXT";
                break;
            case PORT:
                n = "PORT_EXT";
                break;
            case PID:
                n = "PID_EXT";
                break;
            case SMALL_TUPLE:
                n = "SMALL_TUPLE_EXT";
                break;
            case LARGE_TUPLE:
                n = "LARGE_TUPLE_EXT";
                break;
            case NIL:
                n = "NIL_EXT";
                break;
            case STRING:
                n = "STRING_EXT";
                break;
            case LIST:
                n = "LIST_EXT";
                break;
            case BINARY:
                n = "BINARY_EXT";
                break;
            case SMALL_BIG:
                n = "SMALL_BIG_EXT";
                break;
            case LARGE_BIG:
                n = "LARGE_BIG_EXT";
                break;
            case NEW_FUN:
                n = "NEW_FUN_EXT";
                break;
            case EXPORT:
                n = "EXPORT_EXT";
                break;
            case NEW_REFERENCE:
                n = "NEW_REFERENCE_EXT";
                break;
            case SMALL_ATOM:
                n = "SMALL_ATOM_EXT";
                break;
            case MAP:
                n = "MAP_EXT";
                break;
            case FUN:
                n = "FUN_EXT";
                break;
            case ATOM_UTF8:
                n = "ATOM_UTF8_EXT";
                break;
            case SMALL_ATOM_UTF8:
                n = "SMALL_ATOM_UTF8_EXT";
                break;
            case V4_PORT:
                n = "V4_PORT_EXT";
                break;
            case LOCAL:
                n = "LOCAL_EXT";
                break;
            default:
                n = "unknown tag";
        }
        return n + " (" + tag + ")";
    }
}
