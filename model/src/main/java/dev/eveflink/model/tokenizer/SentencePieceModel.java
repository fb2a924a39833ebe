package dev.eveflink.model.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The parts of a SentencePiece {@code ModelProto} ({@code tokenizer.model}) that encoding and decoding need.
 *
 * @param pieces every piece in id order
 * @param trainer the trainer settings that matter at inference
 * @param normalizer the normalizer settings
 */
public record SentencePieceModel(List<Piece> pieces, TrainerSettings trainer, NormalizerSettings normalizer) {

    /** SentencePiece's {@code ModelProto.SentencePiece.Type}. */
    public enum PieceType {
        NORMAL(1), UNKNOWN(2), CONTROL(3), USER_DEFINED(4), UNUSED(5), BYTE(6);

        private final int code;

        PieceType(int code) {
            this.code = code;
        }

        static PieceType of(int code, String where) {
            for (PieceType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new TokenizerException(where + ": unknown piece type " + code);
        }
    }

    /** SentencePiece's {@code TrainerSpec.ModelType}. */
    public enum ModelType {
        UNIGRAM(1), BPE(2), WORD(3), CHAR(4);

        private final int code;

        ModelType(int code) {
            this.code = code;
        }

        static ModelType of(int code, String where) {
            for (ModelType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new TokenizerException(where + ": unknown model type " + code);
        }
    }

    /** One vocabulary entry. */
    public record Piece(String text, float score, PieceType type) {
        public Piece {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(type, "type");
        }
    }

    /** Trainer settings used at inference time (proto2 defaults where the file omits a field). */
    public record TrainerSettings(ModelType modelType, boolean byteFallback, boolean splitDigits,
            boolean treatWhitespaceAsSuffix, int unkId, int bosId, int eosId, int padId, String unkSurface) {
        public TrainerSettings {
            Objects.requireNonNull(modelType, "modelType");
            Objects.requireNonNull(unkSurface, "unkSurface");
        }
    }

    /** Normalizer settings; {@code precompiledCharsmapBytes > 0} means a non-identity normalization table. */
    public record NormalizerSettings(String name, int precompiledCharsmapBytes, boolean addDummyPrefix,
            boolean removeExtraWhitespaces, boolean escapeWhitespaces) {
        public NormalizerSettings {
            Objects.requireNonNull(name, "name");
        }
    }

    public SentencePieceModel {
        pieces = List.copyOf(pieces);
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(normalizer, "normalizer");
        if (pieces.isEmpty()) {
            throw new TokenizerException("SentencePiece model has no pieces");
        }
    }

    /** Reads a {@code tokenizer.model} file. */
    public static SentencePieceModel read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TokenizerException(file + ": file not found", e);
        } catch (IOException e) {
            throw new TokenizerException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses the serialized {@code ModelProto}; {@code source} names it in error messages. */
    public static SentencePieceModel parse(byte[] bytes, String source) {
        ProtoWireReader in = new ProtoWireReader(bytes, source);
        List<Piece> pieces = new ArrayList<>();
        TrainerSettings trainer = null;
        NormalizerSettings normalizer = null;
        while (in.hasMore()) {
            int tag = in.readTag();
            int field = ProtoWireReader.fieldOf(tag);
            int wire = ProtoWireReader.wireTypeOf(tag);
            if (field == 1 && wire == ProtoWireReader.LENGTH_DELIMITED) {
                pieces.add(parsePiece(in.readMessage("pieces[" + pieces.size() + "]"), source));
            } else if (field == 2 && wire == ProtoWireReader.LENGTH_DELIMITED) {
                trainer = parseTrainer(in.readMessage("trainer_spec"), source);
            } else if (field == 3 && wire == ProtoWireReader.LENGTH_DELIMITED) {
                normalizer = parseNormalizer(in.readMessage("normalizer_spec"));
            } else {
                in.skip(wire);
            }
        }
        // Every model spm_train writes has both specs; a missing one means a truncated or foreign file (protobuf
        // cannot tell a cut at a message boundary from the end of the data).
        if (trainer == null || normalizer == null) {
            throw new TokenizerException(source + ": malformed SentencePiece model: no "
                    + (trainer == null ? "trainer_spec" : "normalizer_spec") + " (truncated, or not a tokenizer.model)");
        }
        return new SentencePieceModel(pieces, trainer, normalizer);
    }

    private static Piece parsePiece(ProtoWireReader in, String source) {
        String text = "";
        float score = 0f;
        int type = 1; // NORMAL is the proto default
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (tag) {
                case (1 << 3) | ProtoWireReader.LENGTH_DELIMITED -> text = in.readString();
                case (2 << 3) | ProtoWireReader.FIXED32 -> score = in.readFloat();
                case (3 << 3) | ProtoWireReader.VARINT -> type = in.readInt32();
                default -> in.skip(ProtoWireReader.wireTypeOf(tag));
            }
        }
        return new Piece(text, score, PieceType.of(type, source + " piece '" + text + "'"));
    }

    private static TrainerSettings parseTrainer(ProtoWireReader in, String source) {
        int modelType = 1; // UNIGRAM is the proto default
        boolean byteFallback = false;
        boolean splitDigits = false;
        boolean whitespaceAsSuffix = false;
        int unk = 0;
        int bos = 1;
        int eos = 2;
        int pad = -1;
        String unkSurface = " \u2047 ";
        while (in.hasMore()) {
            int tag = in.readTag();
            int field = ProtoWireReader.fieldOf(tag);
            int wire = ProtoWireReader.wireTypeOf(tag);
            if (wire == ProtoWireReader.VARINT) {
                switch (field) {
                    case 3 -> modelType = in.readInt32();
                    case 24 -> whitespaceAsSuffix = in.readBool();
                    case 25 -> splitDigits = in.readBool();
                    case 35 -> byteFallback = in.readBool();
                    case 40 -> unk = in.readInt32();
                    case 41 -> bos = in.readInt32();
                    case 42 -> eos = in.readInt32();
                    case 43 -> pad = in.readInt32();
                    default -> in.readVarint();
                }
            } else if (field == 44 && wire == ProtoWireReader.LENGTH_DELIMITED) {
                unkSurface = in.readString();
            } else {
                in.skip(wire);
            }
        }
        return new TrainerSettings(ModelType.of(modelType, source), byteFallback, splitDigits, whitespaceAsSuffix,
                unk, bos, eos, pad, unkSurface);
    }

    private static NormalizerSettings parseNormalizer(ProtoWireReader in) {
        String name = "";
        int charsmapBytes = 0;
        boolean addDummyPrefix = true;
        boolean removeExtra = true;
        boolean escape = true;
        while (in.hasMore()) {
            int tag = in.readTag();
            int field = ProtoWireReader.fieldOf(tag);
            int wire = ProtoWireReader.wireTypeOf(tag);
            if (field == 1 && wire == ProtoWireReader.LENGTH_DELIMITED) {
                name = in.readString();
            } else if (field == 2 && wire == ProtoWireReader.LENGTH_DELIMITED) {
                charsmapBytes = in.readBytesLength();
            } else if (field == 3 && wire == ProtoWireReader.VARINT) {
                addDummyPrefix = in.readBool();
            } else if (field == 4 && wire == ProtoWireReader.VARINT) {
                removeExtra = in.readBool();
            } else if (field == 5 && wire == ProtoWireReader.VARINT) {
                escape = in.readBool();
            } else {
                in.skip(wire);
            }
        }
        return new NormalizerSettings(name, charsmapBytes, addDummyPrefix, removeExtra, escape);
    }
}
