package dev.eveflink.model.demo.train;

import dev.eveflink.model.tokenizer.SentencePieceModel.Piece;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Serialises a SentencePiece BPE {@code ModelProto} ({@code tokenizer.model}): the pieces with their
 * scores and types, a trainer spec (BPE, byte fallback, unk/bos/eos ids 0/1/2, no pad) and an identity
 * normalizer with the dummy prefix, escaped whitespace and no whitespace cleanup, as LLaMA's model has.
 * Only the fields that readers use at inference are written.
 */
public final class SentencePieceModelWriter {
    private static final int VARINT = 0;
    private static final int FIXED32 = 5;
    private static final int LENGTH_DELIMITED = 2;
    private static final int MODEL_TYPE_BPE = 2;

    private SentencePieceModelWriter() {}

    /** Writes {@code pieces} (id order; ids 0, 1, 2 must be unk, bos, eos) to {@code file}. */
    public static void write(Path file, List<Piece> pieces) throws IOException {
        Files.write(file, serialize(pieces));
    }

    /** The serialized {@code ModelProto}. */
    public static byte[] serialize(List<Piece> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Piece p : pieces) {
            ByteArrayOutputStream piece = new ByteArrayOutputStream();
            bytesField(piece, 1, p.text().getBytes(StandardCharsets.UTF_8));
            tag(piece, 2, FIXED32);
            int bits = Float.floatToIntBits(p.score());
            for (int i = 0; i < 4; i++) {
                piece.write((bits >>> (8 * i)) & 0xFF);
            }
            varintField(piece, 3, typeCode(p.type()));
            bytesField(out, 1, piece.toByteArray());
        }
        ByteArrayOutputStream trainer = new ByteArrayOutputStream();
        varintField(trainer, 3, MODEL_TYPE_BPE);
        varintField(trainer, 35, 1); // byte_fallback
        varintField(trainer, 40, 0); // unk_id
        varintField(trainer, 41, 1); // bos_id
        varintField(trainer, 42, 2); // eos_id
        varintField(trainer, 43, -1); // pad_id: none
        bytesField(out, 2, trainer.toByteArray());
        ByteArrayOutputStream normalizer = new ByteArrayOutputStream();
        bytesField(normalizer, 1, "identity".getBytes(StandardCharsets.UTF_8));
        varintField(normalizer, 3, 1); // add_dummy_prefix
        varintField(normalizer, 4, 0); // remove_extra_whitespaces
        varintField(normalizer, 5, 1); // escape_whitespaces
        bytesField(out, 3, normalizer.toByteArray());
        return out.toByteArray();
    }

    private static int typeCode(dev.eveflink.model.tokenizer.SentencePieceModel.PieceType type) {
        return switch (type) {
            case NORMAL -> 1;
            case UNKNOWN -> 2;
            case CONTROL -> 3;
            case USER_DEFINED -> 4;
            case UNUSED -> 5;
            case BYTE -> 6;
        };
    }

    private static void tag(ByteArrayOutputStream out, int field, int wire) {
        varint(out, ((long) field << 3) | wire);
    }

    private static void varintField(ByteArrayOutputStream out, int field, int value) {
        tag(out, field, VARINT);
        varint(out, value); // negative int32 values take 10 bytes, sign-extended, as protobuf encodes them
    }

    private static void bytesField(ByteArrayOutputStream out, int field, byte[] data) {
        tag(out, field, LENGTH_DELIMITED);
        varint(out, data.length);
        out.writeBytes(data);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
