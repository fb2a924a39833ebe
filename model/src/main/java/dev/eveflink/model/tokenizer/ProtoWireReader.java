package dev.eveflink.model.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * A minimal protobuf wire-format reader: enough to walk a SentencePiece {@code ModelProto} without a protobuf
 * dependency. Reads tags, varints, fixed32 and length-delimited fields; skips the rest.
 */
final class ProtoWireReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private int pos;
    private final int limit;
    private final String what;

    ProtoWireReader(byte[] buf, String what) {
        this(buf, 0, buf.length, what);
    }

    private ProtoWireReader(byte[] buf, int start, int limit, String what) {
        this.buf = buf;
        this.pos = start;
        this.limit = limit;
        this.what = what;
    }

    boolean hasMore() {
        return pos < limit;
    }

    /** Reads a tag; returns it whole ({@code field << 3 | wireType}). */
    int readTag() {
        long tag = readVarint();
        if (tag <= 0 || tag > Integer.MAX_VALUE) {
            throw malformed("bad tag " + tag);
        }
        return (int) tag;
    }

    static int fieldOf(int tag) {
        return tag >>> 3;
    }

    static int wireTypeOf(int tag) {
        return tag & 7;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw malformed("truncated varint");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    /** An int32 field: negative values are written as 10-byte sign-extended varints. */
    int readInt32() {
        return (int) readVarint();
    }

    boolean readBool() {
        return readVarint() != 0;
    }

    float readFloat() {
        return Float.intBitsToFloat(readFixed32());
    }

    int readFixed32() {
        need(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    String readString() {
        int len = readLength();
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    int readBytesLength() {
        int len = readLength();
        pos += len;
        return len;
    }

    /** A reader over the embedded message that follows; this reader moves past it. */
    ProtoWireReader readMessage(String name) {
        int len = readLength();
        ProtoWireReader sub = new ProtoWireReader(buf, pos, pos + len, what + "." + name);
        pos += len;
        return sub;
    }

    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> {
                need(8);
                pos += 8;
            }
            case LENGTH_DELIMITED -> readBytesLength();
            case FIXED32 -> {
                need(4);
                pos += 4;
            }
            default -> throw malformed("unsupported wire type " + wireType);
        }
    }

    private int readLength() {
        long len = readVarint();
        if (len < 0 || len > limit - pos) {
            throw malformed("length " + len + " runs past the end");
        }
        return (int) len;
    }

    private void need(int n) {
        if (limit - pos < n) {
            throw malformed("truncated fixed-width field");
        }
    }

    private TokenizerException malformed(String detail) {
        return new TokenizerException(what + ": malformed protobuf at byte " + pos + ": " + detail);
    }
}
