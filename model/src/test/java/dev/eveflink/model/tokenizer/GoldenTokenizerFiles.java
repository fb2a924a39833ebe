package dev.eveflink.model.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the tokenizer goldens copied into the repo (tiny-a set). */
final class GoldenTokenizerFiles {
    static final Path DIR = Path.of("src/test/golden/eve-tiny");
    static final Path TOKENIZER_MODEL = DIR.resolve("tokenizer.model");

    private GoldenTokenizerFiles() {}

    static JsonObject encodings() {
        return readObject(DIR.resolve("tokenizer/encodings.json"));
    }

    static JsonArray vocab() {
        return JsonParser.parseString(read(DIR.resolve("tokenizer/vocab.json"))).getAsJsonArray();
    }

    static List<JsonObject> cases() {
        List<JsonObject> out = new ArrayList<>();
        for (JsonElement e : readObject(DIR.resolve("cases.json")).getAsJsonArray("cases")) {
            out.add(e.getAsJsonObject());
        }
        return out;
    }

    static List<JsonObject> objects(JsonArray array) {
        List<JsonObject> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsJsonObject()));
        return out;
    }

    static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }

    static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static JsonObject readObject(Path file) {
        return JsonParser.parseString(read(file)).getAsJsonObject();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
