package dev.eveflink.model.testutil;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Test-only access to the golden fixtures in {@code src/test/golden/eve-tiny}: the cases of
 * {@code cases.json} and each case's {@code cases/<id>.safetensors} tensors as plain Java arrays.
 *
 * <p>Surefire runs with the module directory as working directory, so the default root is
 * {@code src/test/golden/eve-tiny} relative to it.
 */
public final class GoldenCases {

    /** The golden folder relative to the model module (surefire's working directory). */
    public static final Path DEFAULT_ROOT = Path.of("src", "test", "golden", "eve-tiny");

    private final Path root;
    private final JsonObject json;
    private final Map<String, Case> cases;

    private GoldenCases(Path root, JsonObject json) {
        this.root = root;
        this.json = json;
        Map<String, Case> byId = new LinkedHashMap<>();
        for (JsonElement e : json.getAsJsonArray("cases")) {
            Case c = new Case(this, e.getAsJsonObject());
            byId.put(c.id(), c);
        }
        this.cases = Collections.unmodifiableMap(byId);
    }

    /** Loads {@link #DEFAULT_ROOT}. */
    public static GoldenCases load() {
        return load(DEFAULT_ROOT);
    }

    /** Loads {@code cases.json} from the given golden folder. */
    public static GoldenCases load(Path root) {
        Path file = root.resolve("cases.json");
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new GoldenCases(root, JsonParser.parseString(text).getAsJsonObject());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }

    /** The golden folder (holds config.json, images/, cases/ ...). */
    public Path root() {
        return root;
    }

    /** The whole parsed {@code cases.json}. */
    public JsonObject json() {
        return json;
    }

    /** Every case, in file order. */
    public List<Case> all() {
        return List.copyOf(cases.values());
    }

    /** The cases that carry an image, in file order. */
    public List<Case> withImage() {
        List<Case> out = new ArrayList<>();
        for (Case c : cases.values()) {
            if (c.hasImage()) {
                out.add(c);
            }
        }
        return out;
    }

    /** One case by id; throws if absent. */
    public Case get(String id) {
        Case c = cases.get(id);
        if (c == null) {
            throw new IllegalArgumentException("no golden case '" + id + "', known: " + cases.keySet());
        }
        return c;
    }

    /** The {@code batched} section. */
    public Batched batched() {
        return new Batched(json.getAsJsonObject("batched"));
    }

    /** Number of greedy steps per case ({@code new_tokens}). */
    public int newTokens() {
        return json.get("new_tokens").getAsInt();
    }

    /** One entry of {@code cases}. */
    public static final class Case {
        private final GoldenCases owner;
        private final JsonObject json;
        private Tensors tensors;

        private Case(GoldenCases owner, JsonObject json) {
            this.owner = owner;
            this.json = json;
        }

        public String id() {
            return json.get("id").getAsString();
        }

        public JsonObject json() {
            return json;
        }

        public boolean hasImage() {
            return json.has("image") && !json.get("image").isJsonNull();
        }

        /** The image file, resolved against the golden root; empty for text-only cases. */
        public Optional<Path> imagePath() {
            return hasImage() ? Optional.of(owner.root.resolve(json.get("image").getAsString())) : Optional.empty();
        }

        /** The image file's bytes; throws for a text-only case. */
        public byte[] imageBytes() {
            Path p = imagePath().orElseThrow(() -> new IllegalStateException(id() + " has no image"));
            try {
                return Files.readAllBytes(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p, e);
            }
        }

        public String question() {
            return json.get("question").getAsString();
        }

        public String prompt() {
            return json.get("prompt").getAsString();
        }

        /** {@code input_ids} with -200 at the image position. */
        public long[] inputIds() {
            return toLongs(json.getAsJsonArray("input_ids"));
        }

        /** The {@code preprocess} geometry block, or null for text-only cases. */
        public JsonObject preprocess() {
            JsonElement p = json.get("preprocess");
            return p == null || p.isJsonNull() ? null : p.getAsJsonObject();
        }

        /** An int array of the preprocess block, e.g. {@code preprocessInts("resized_wh")}. */
        public int[] preprocessInts(String key) {
            return toInts(preprocess().getAsJsonArray(key));
        }

        /** An int of the preprocess block, e.g. {@code preprocessInt("n_vis")}. */
        public int preprocessInt(String key) {
            return preprocess().get(key).getAsInt();
        }

        /** The greedy tokens (12 argmax steps). */
        public long[] tokens() {
            return toLongs(json.getAsJsonObject("greedy").getAsJsonArray("tokens"));
        }

        /** The {@code greedy} block (steps with top-5, first_eos_step, output_text). */
        public JsonObject greedy() {
            return json.getAsJsonObject("greedy");
        }

        public float[] prefillLogitsLast() {
            JsonArray a = json.getAsJsonArray("prefill_logits_last");
            float[] out = new float[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.get(i).getAsFloat();
            }
            return out;
        }

        public int seqLen() {
            return json.get("seq_len").getAsInt();
        }

        /** The case's tensors ({@code cases/<id>.safetensors}), read once and cached. */
        public synchronized Tensors tensors() {
            if (tensors == null) {
                tensors = Tensors.read(owner.root.resolve(json.get("tensors_file").getAsString()));
            }
            return tensors;
        }

        @Override
        public String toString() {
            return id();
        }
    }

    /** The {@code batched} section: members and padding layout. */
    public record Batched(JsonObject json) {
        public String id() {
            return json.get("id").getAsString();
        }

        public List<String> members() {
            List<String> out = new ArrayList<>();
            json.getAsJsonArray("members").forEach(e -> out.add(e.getAsString()));
            return out;
        }

        public JsonObject layout() {
            return json.getAsJsonObject("layout");
        }

        public int paddedLength() {
            return layout().get("padded_length").getAsInt();
        }

        public int[] lengths() {
            return toInts(layout().getAsJsonArray("lengths"));
        }

        public int[] padCounts() {
            return toInts(layout().getAsJsonArray("pad_counts"));
        }
    }

    /**
     * A minimal safetensors reader (test-only): u64 LE header length, JSON header of
     * {@code name -> {dtype, shape, data_offsets}}, then raw little-endian data.
     */
    public static final class Tensors {
        private final Path file;
        private final Map<String, Entry> entries;
        private final ByteBuffer data;

        private record Entry(String dtype, long[] shape, int begin, int end) {}

        private Tensors(Path file, Map<String, Entry> entries, ByteBuffer data) {
            this.file = file;
            this.entries = entries;
            this.data = data;
        }

        public static Tensors read(Path file) {
            byte[] all;
            try {
                all = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
            long headerLen = buf.getLong(0);
            if (headerLen <= 0 || 8 + headerLen > all.length) {
                throw new IllegalStateException(file + ": bad safetensors header length " + headerLen);
            }
            String header = new String(all, 8, (int) headerLen, StandardCharsets.UTF_8);
            JsonObject h = JsonParser.parseString(header).getAsJsonObject();
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : h.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonObject t = e.getValue().getAsJsonObject();
                JsonArray off = t.getAsJsonArray("data_offsets");
                entries.put(e.getKey(), new Entry(t.get("dtype").getAsString(), toLongs(t.getAsJsonArray("shape")),
                        off.get(0).getAsInt(), off.get(1).getAsInt()));
            }
            ByteBuffer data = ByteBuffer.wrap(all, 8 + (int) headerLen, all.length - 8 - (int) headerLen)
                    .slice().order(ByteOrder.LITTLE_ENDIAN);
            return new Tensors(file, Collections.unmodifiableMap(entries), data);
        }

        public Set<String> names() {
            return entries.keySet();
        }

        public boolean has(String name) {
            return entries.containsKey(name);
        }

        public String dtype(String name) {
            return entry(name).dtype();
        }

        public long[] shape(String name) {
            return entry(name).shape().clone();
        }

        /** An F32 tensor (F16/BF16 are upcast) flattened row-major. */
        public float[] floats(String name) {
            Entry e = entry(name);
            ByteBuffer b = slice(e);
            switch (e.dtype()) {
                case "F32": {
                    float[] out = new float[b.remaining() / 4];
                    b.asFloatBuffer().get(out);
                    return out;
                }
                case "F16": {
                    float[] out = new float[b.remaining() / 2];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = halfToFloat(b.getShort(2 * i));
                    }
                    return out;
                }
                case "BF16": {
                    float[] out = new float[b.remaining() / 2];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xffff) << 16);
                    }
                    return out;
                }
                default:
                    throw wrongType(name, e, "F32/F16/BF16");
            }
        }

        /** A U8 (or I8/BOOL) tensor's raw bytes, row-major. */
        public byte[] bytes(String name) {
            Entry e = entry(name);
            if (!e.dtype().equals("U8") && !e.dtype().equals("I8") && !e.dtype().equals("BOOL")) {
                throw wrongType(name, e, "U8");
            }
            ByteBuffer b = slice(e);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }

        /** An I64 (or I32) tensor, row-major. */
        public long[] longs(String name) {
            Entry e = entry(name);
            ByteBuffer b = slice(e);
            if (e.dtype().equals("I64")) {
                long[] out = new long[b.remaining() / 8];
                b.asLongBuffer().get(out);
                return out;
            }
            if (e.dtype().equals("I32")) {
                long[] out = new long[b.remaining() / 4];
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getInt(4 * i);
                }
                return out;
            }
            throw wrongType(name, e, "I64/I32");
        }

        private Entry entry(String name) {
            Entry e = entries.get(name);
            if (e == null) {
                throw new IllegalArgumentException(file + ": no tensor '" + name + "', present: " + entries.keySet());
            }
            return e;
        }

        private ByteBuffer slice(Entry e) {
            return data.duplicate().position(e.begin()).limit(e.end()).slice().order(ByteOrder.LITTLE_ENDIAN);
        }

        private IllegalStateException wrongType(String name, Entry e, String wanted) {
            return new IllegalStateException(file + ": tensor '" + name + "' is " + e.dtype() + ", wanted " + wanted);
        }
    }

    /** IEEE half to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1.0p-24f; // subnormal (or zero): mant * 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    static int[] toInts(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    static long[] toLongs(JsonArray a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsLong();
        }
        return out;
    }
}
