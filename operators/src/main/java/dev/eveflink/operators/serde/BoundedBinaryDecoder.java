package dev.eveflink.operators.serde;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A {@link BinaryDecoder} over a byte array that refuses any length or item count larger than the
 * bytes that remain.
 *
 * <p>Avro 1.12's decoder allocates a string or bytes buffer of whatever length the input claims (up
 * to ~2 GiB) before noticing the input is shorter: a 16-byte garbage record could allocate 1 GiB.
 * Here a claim can never exceed the input's own size. Item counts are bounded the same way, which
 * assumes every array or map item takes at least one byte: true for our schemas (no arrays of null
 * or of empty records).
 */
final class BoundedBinaryDecoder extends Decoder {

    /** The decoder doing the work. */
    private final BinaryDecoder in;

    BoundedBinaryDecoder(BinaryDecoder in) {
        this.in = in;
    }

    /** True when every input byte has been consumed. */
    boolean isEnd() throws IOException {
        return in.isEnd();
    }

    private long checkLength(long claimed, String what) throws IOException {
        long remaining = in.remainingBytes();
        if (claimed < 0 || (remaining >= 0 && claimed > remaining)) {
            throw new EOFException(
                    what + " claims " + claimed + " but only " + remaining + " bytes remain");
        }
        return claimed;
    }

    private int readLength(String what) throws IOException {
        return (int) checkLength(in.readLong(), what + " length");
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        byte[] bytes = new byte[readLength("string")];
        in.readFixed(bytes);
        return new Utf8(bytes);
    }

    @Override
    public String readString() throws IOException {
        byte[] bytes = new byte[readLength("string")];
        in.readFixed(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(readLength("string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        byte[] bytes = new byte[readLength("bytes")];
        in.readFixed(bytes);
        return ByteBuffer.wrap(bytes);
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(readLength("bytes"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        checkLength(length, "fixed");
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        checkLength(length, "fixed");
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return checkLength(in.readArrayStart(), "array block count");
    }

    @Override
    public long arrayNext() throws IOException {
        return checkLength(in.arrayNext(), "array block count");
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long readMapStart() throws IOException {
        return checkLength(in.readMapStart(), "map block count");
    }

    @Override
    public long mapNext() throws IOException {
        return checkLength(in.mapNext(), "map block count");
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    @Override
    public int remainingBytes() {
        return in.remainingBytes();
    }
}
