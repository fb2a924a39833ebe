package dev.eveflink.operators.serde;

import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.Outcome;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Avro single-object encoded bytes ({@code C3 01}, the writer schema's CRC-64-AVRO
 * fingerprint in little-endian order, then the binary body) into a generated class, returning typed
 * errors instead of throwing.
 *
 * <p>Records written with any registered writer schema are resolved into the reader class, so older
 * producers keep working. Lengths in the body are bounded by the body's size ({@link
 * BoundedBinaryDecoder}), and trailing bytes after the record are refused. Not thread-safe: one per
 * task.
 *
 * @param <T> the generated reader class
 */
public final class SingleObjectDecoder<T extends SpecificRecord> {

    private static final int HEADER_LENGTH = 10;
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;

    /** One reader per known writer schema, by fingerprint. */
    private final Map<Long, SpecificDatumReader<T>> readers = new HashMap<>();

    /** Reused between calls to avoid garbage. */
    private BinaryDecoder reusableDecoder;

    /** A decoder into {@code readerClass} that accepts its own schema and {@code olderWriters}. */
    public SingleObjectDecoder(Class<T> readerClass, List<Schema> olderWriters) {
        SpecificData model = SpecificData.getForClass(readerClass);
        Schema readerSchema = model.getSchema(readerClass);
        register(model, readerSchema, readerSchema);
        for (Schema writer : olderWriters) {
            register(model, writer, readerSchema);
        }
    }

    private void register(SpecificData model, Schema writer, Schema reader) {
        readers.put(
                SchemaNormalization.parsingFingerprint64(writer),
                new SpecificDatumReader<>(writer, reader, model));
    }

    /** The decoded record, or UNDECODABLE_VALUE / UNKNOWN_WRITER_SCHEMA. Never throws. */
    public Outcome<T> decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return Outcome.failed(ErrorCode.EMPTY_VALUE, "no bytes");
        }
        if (bytes.length < HEADER_LENGTH || bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
            return Outcome.failed(
                    ErrorCode.UNDECODABLE_VALUE,
                    "not Avro single-object encoded (" + bytes.length + " bytes, no C3 01 header)");
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        SpecificDatumReader<T> reader = readers.get(fingerprint);
        if (reader == null) {
            return Outcome.failed(
                    ErrorCode.UNKNOWN_WRITER_SCHEMA,
                    String.format("unknown writer schema fingerprint %016x", fingerprint));
        }
        try {
            reusableDecoder =
                    DecoderFactory.get()
                            .binaryDecoder(
                                    bytes,
                                    HEADER_LENGTH,
                                    bytes.length - HEADER_LENGTH,
                                    reusableDecoder);
            BoundedBinaryDecoder in = new BoundedBinaryDecoder(reusableDecoder);
            T record = reader.read(null, in);
            if (!in.isEnd()) {
                return Outcome.failed(
                        ErrorCode.UNDECODABLE_VALUE, "trailing bytes after the record");
            }
            return Outcome.ok(record);
        } catch (Exception | StackOverflowError e) {
            // Whatever the body's bytes make Avro throw is a property of the bytes, not of the job.
            return Outcome.failed(ErrorCode.UNDECODABLE_VALUE, e.toString());
        }
    }
}
