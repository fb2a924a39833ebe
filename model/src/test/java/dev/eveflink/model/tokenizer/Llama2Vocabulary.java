package dev.eveflink.model.tokenizer;

import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eveflink.model.tokenizer.SentencePieceModel.ModelType;
import dev.eveflink.model.tokenizer.SentencePieceModel.NormalizerSettings;
import dev.eveflink.model.tokenizer.SentencePieceModel.Piece;
import dev.eveflink.model.tokenizer.SentencePieceModel.PieceType;
import dev.eveflink.model.tokenizer.SentencePieceModel.TrainerSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real Llama-2 / Vicuna vocabulary that the build fetched with npm (src/test/scripts/fetch-llama2-tokenizer.sh).
 * Missing vocabulary is a test FAILURE with the fetch script's message, never a skip.
 */
final class Llama2Vocabulary {
    static final Path DIR = Path.of("target/llama2-tokenizer");
    static final Path TOKENIZER_JSON = DIR.resolve("tokenizer.json");

    private Llama2Vocabulary() {}

    /** The path of tokenizer.json; fails the test with the reason when the build could not fetch it. */
    static Path require() {
        if (Files.isRegularFile(TOKENIZER_JSON)) {
            return TOKENIZER_JSON;
        }
        Path failure = DIR.resolve("FETCH_FAILED.txt");
        String reason;
        try {
            reason = Files.isRegularFile(failure) ? Files.readString(failure, StandardCharsets.UTF_8).strip()
                    : "the fetch script did not run (run the tests through Maven: its generate-test-resources phase"
                            + " runs src/test/scripts/fetch-llama2-tokenizer.sh)";
        } catch (IOException e) {
            reason = "cannot read " + failure + ": " + e;
        }
        return fail("Llama-2 vocabulary missing at " + TOKENIZER_JSON.toAbsolutePath() + ": " + reason);
    }

    /**
     * The pure Java BPE encoder run on tokenizer.json's vocabulary and merges: a merge is allowed only for a pair
     * that the merges list names, and earlier merges win (score = -rank), which is HF's BPE rule; ties go to the
     * leftmost pair in both.
     */
    static SentencePieceBpeTokenizer pureJavaFromMerges(Path tokenizerJson) throws IOException {
        return pureJava(tokenizerJson, false);
    }

    /**
     * The pure Java encoder with sentencepiece's own rule on tokenizer.json's data: any adjacent pair whose
     * concatenation is a piece may merge, scored by the piece (score = -rank of the first merge producing it).
     */
    static SentencePieceBpeTokenizer pureJavaWithPieceScores(Path tokenizerJson) throws IOException {
        return pureJava(tokenizerJson, true);
    }

    private static SentencePieceBpeTokenizer pureJava(Path tokenizerJson, boolean scoreByPiece) throws IOException {
        JsonObject json = JsonParser.parseString(Files.readString(tokenizerJson, StandardCharsets.UTF_8))
                .getAsJsonObject();
        JsonObject model = json.getAsJsonObject("model");
        Map<String, Integer> vocab = new HashMap<>();
        model.getAsJsonObject("vocab").entrySet().forEach(e -> vocab.put(e.getKey(), e.getValue().getAsInt()));
        Set<String> control = new HashSet<>();
        for (JsonElement t : json.getAsJsonArray("added_tokens")) {
            control.add(t.getAsJsonObject().get("content").getAsString());
        }
        String unk = model.get("unk_token").getAsString();
        String[] byId = new String[vocab.size()];
        vocab.forEach((piece, id) -> byId[id] = piece);
        List<Piece> pieces = new ArrayList<>();
        for (String p : byId) {
            PieceType type = p.equals(unk) ? PieceType.UNKNOWN
                    : control.contains(p) ? PieceType.CONTROL
                    : BytePieces.byteOf(p) >= 0 ? PieceType.BYTE
                    : PieceType.NORMAL;
            pieces.add(new Piece(p, 0f, type));
        }
        Map<String, Integer> rankByPair = new HashMap<>();
        Map<String, Integer> rankByPiece = new HashMap<>();
        int rank = 0;
        for (JsonElement m : model.getAsJsonArray("merges")) {
            String pair = m.isJsonArray()
                    ? m.getAsJsonArray().get(0).getAsString() + " " + m.getAsJsonArray().get(1).getAsString()
                    : m.getAsString();
            rankByPiece.putIfAbsent(pair.replace(" ", ""), rank);
            rankByPair.putIfAbsent(pair, rank++);
        }
        SentencePieceModel spm = new SentencePieceModel(pieces,
                new TrainerSettings(ModelType.BPE, model.get("byte_fallback").getAsBoolean(), false, false,
                        vocab.get(unk), vocab.getOrDefault("<s>", -1), vocab.getOrDefault("</s>", -1), -1,
                        " \u2047 "),
                new NormalizerSettings("identity", 0, true, false, true));
        if (scoreByPiece) {
            return new SentencePieceBpeTokenizer(spm, (left, right, merged) -> {
                Integer r = rankByPiece.get(merged);
                return r == null ? Float.NaN : -r;
            });
        }
        return new SentencePieceBpeTokenizer(spm, (left, right, merged) -> {
            Integer r = rankByPair.get(left + " " + right);
            return r == null ? Float.NaN : -r;
        });
    }

    static String ids(int[] ids) {
        return Arrays.toString(ids);
    }
}
