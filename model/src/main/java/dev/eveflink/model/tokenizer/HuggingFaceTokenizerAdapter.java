package dev.eveflink.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@link Tokenizer} over DJL's HF tokenizers binding for a {@code tokenizer.json}, built with special tokens not
 * added, truncation off and padding off (DJL's defaults would cut every input at 512 tokens).
 *
 * <p>The vocabulary ({@link #piece}, {@link #pieceId}) and the special tokens are read from {@code tokenizer.json}
 * itself; BOS/EOS/UNK names come from {@code tokenizer_config.json} or {@code special_tokens_map.json} next to it
 * when present, else LLaMA's {@code <s>}, {@code </s>}, {@code <unk>}. {@link #decode} is HF's decoder with special
 * tokens skipped; note that HF's ByteFallback decoder turns a whole run of byte pieces into U+FFFD per byte when any
 * of it is invalid UTF-8, where sentencepiece replaces only the invalid bytes.
 */
public final class HuggingFaceTokenizerAdapter implements Tokenizer {
    private final Path file;
    private final HuggingFaceTokenizer hf;
    private final Map<String, Integer> idsByPiece;
    private final String[] piecesById;
    private final Set<Integer> specialIds;
    private final int bosId;
    private final int eosId;
    private final int unkId;
    private final boolean stripsDummyPrefix;

    private HuggingFaceTokenizerAdapter(Path file, HuggingFaceTokenizer hf, JsonObject json, Path dir) {
        this.file = file;
        this.hf = hf;
        this.idsByPiece = new HashMap<>();
        this.specialIds = new HashSet<>();
        readVocabulary(json);
        int size = idsByPiece.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        this.piecesById = new String[size];
        idsByPiece.forEach((piece, id) -> piecesById[id] = piece);
        this.bosId = specialId(dir, "bos_token", "<s>");
        this.eosId = specialId(dir, "eos_token", "</s>");
        JsonObject model = json.getAsJsonObject("model");
        String unkName = model != null && model.has("unk_token") && !model.get("unk_token").isJsonNull()
                ? model.get("unk_token").getAsString() : "<unk>";
        this.unkId = specialId(dir, "unk_token", unkName);
        this.stripsDummyPrefix = decoderStripsLeadingSpace(json.get("decoder"));
    }

    /** Loads {@code tokenizer.json} (a file, or a directory holding one). */
    public static HuggingFaceTokenizerAdapter load(Path tokenizerJson) {
        Path file = Files.isDirectory(tokenizerJson) ? tokenizerJson.resolve("tokenizer.json") : tokenizerJson;
        if (!Files.isRegularFile(file)) {
            throw new TokenizerException(file + ": file not found");
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException(file + ": cannot read tokenizer.json: " + e.getMessage(), e);
        }
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException(file + ": HF tokenizers cannot load it: " + e.getMessage(), e);
        }
        return new HuggingFaceTokenizerAdapter(file, hf, json, file.getParent());
    }

    private void readVocabulary(JsonObject json) {
        JsonObject model = json.getAsJsonObject("model");
        if (model == null || !model.has("vocab")) {
            throw new TokenizerException(file + ": no model.vocab");
        }
        JsonElement vocab = model.get("vocab");
        if (vocab.isJsonObject()) { // BPE / WordPiece: {"piece": id}
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                idsByPiece.put(e.getKey(), e.getValue().getAsInt());
            }
        } else if (vocab.isJsonArray()) { // Unigram: [["piece", score], ...] in id order
            int id = 0;
            for (JsonElement entry : vocab.getAsJsonArray()) {
                idsByPiece.put(entry.getAsJsonArray().get(0).getAsString(), id++);
            }
        } else {
            throw new TokenizerException(file + ": model.vocab is neither an object nor an array");
        }
        if (json.has("added_tokens") && json.get("added_tokens").isJsonArray()) {
            for (JsonElement t : json.getAsJsonArray("added_tokens")) {
                JsonObject o = t.getAsJsonObject();
                int id = o.get("id").getAsInt();
                idsByPiece.put(o.get("content").getAsString(), id);
                if (o.has("special") && o.get("special").getAsBoolean()) {
                    specialIds.add(id);
                }
            }
        }
    }

    /** The id of a special token named in tokenizer_config.json / special_tokens_map.json, else the default. */
    private int specialId(Path dir, String key, String defaultName) {
        String name = defaultName;
        for (String config : new String[] {"tokenizer_config.json", "special_tokens_map.json"}) {
            String configured = dir == null ? null : tokenNameFrom(dir.resolve(config), key);
            if (configured != null) {
                name = configured;
                break;
            }
        }
        Integer id = idsByPiece.get(name);
        return id == null ? -1 : id;
    }

    private static String tokenNameFrom(Path config, String key) {
        if (!Files.isRegularFile(config)) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(config, StandardCharsets.UTF_8)).getAsJsonObject();
            JsonElement v = o.get(key);
            if (v == null || v.isJsonNull()) {
                return null;
            }
            return v.isJsonObject() ? v.getAsJsonObject().get("content").getAsString() : v.getAsString();
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException(config + ": cannot read '" + key + "': " + e.getMessage(), e);
        }
    }

    /** LLaMA's decoder ends in {@code Strip(" ", start=1)}; a Metaspace decoder also drops the prefix space. */
    private static boolean decoderStripsLeadingSpace(JsonElement decoder) {
        if (decoder == null || !decoder.isJsonObject()) {
            return false;
        }
        JsonObject d = decoder.getAsJsonObject();
        String type = d.has("type") ? d.get("type").getAsString() : "";
        switch (type) {
            case "Strip":
                return d.has("start") && d.get("start").getAsInt() > 0;
            case "Metaspace":
                return true;
            case "Sequence":
                for (JsonElement inner : d.getAsJsonArray("decoders")) {
                    if (decoderStripsLeadingSpace(inner)) {
                        return true;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    @Override
    public int[] encode(String text) {
        long[] ids = hf.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            checkId(ids[i]);
            longs[i] = ids[i];
        }
        return hf.decode(longs, true);
    }

    private void checkId(int id) {
        if (id < 0 || id >= piecesById.length || piecesById[id] == null) {
            throw new TokenizerException(file + ": token id " + id + " is outside the vocabulary");
        }
    }

    @Override
    public String piece(int id) {
        checkId(id);
        return piecesById[id];
    }

    @Override
    public OptionalInt pieceId(String piece) {
        Integer id = idsByPiece.get(piece);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public int vocabSize() {
        return piecesById.length;
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public int unkId() {
        return unkId;
    }

    @Override
    public boolean isSpecial(int id) {
        checkId(id);
        return specialIds.contains(id) || id == unkId || id == bosId || id == eosId;
    }

    @Override
    public boolean stripsDummyPrefixOnDecode() {
        return stripsDummyPrefix;
    }

    @Override
    public void close() {
        hf.close();
    }

    @Override
    public String toString() {
        return "HuggingFaceTokenizerAdapter[" + file + "]";
    }
}
