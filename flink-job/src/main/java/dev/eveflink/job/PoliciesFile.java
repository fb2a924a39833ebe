package dev.eveflink.job;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.eveflink.operators.inference.ModerationQuestion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the moderation policies of {@code --policies-file}: a JSON array of
 * {@code {"id": "red-alert", "question": "is there anything red?", "review": 0.4, "flag": 0.5}}
 * ({@code review} defaults to {@code flag}). Read at submit time, so a wrong file fails the
 * submission with a message naming the file and the entry.
 */
public final class PoliciesFile {
    private PoliciesFile() {}

    /** The policies of {@code file}, in file order. */
    public static List<ModerationQuestion> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --policies-file " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonArray()) {
                throw new IllegalArgumentException("--policies-file " + file + " must hold a JSON array of policies");
            }
            List<ModerationQuestion> policies = new ArrayList<>();
            JsonArray array = root.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                policies.add(policy(file, i, array.get(i)));
            }
            return policies;
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
                | NumberFormatException e) {
            throw new IllegalArgumentException("--policies-file " + file + " is not valid: " + e.getMessage(), e);
        }
    }

    private static ModerationQuestion policy(Path file, int index, JsonElement element) {
        if (!element.isJsonObject()) {
            throw new IllegalArgumentException("--policies-file " + file + ": entry " + index + " is not an object");
        }
        JsonObject o = element.getAsJsonObject();
        for (String key : List.of("id", "question", "flag")) {
            if (!o.has(key)) {
                throw new IllegalArgumentException("--policies-file " + file + ": entry " + index + " lacks \""
                        + key + "\"");
            }
        }
        double flag = o.get("flag").getAsDouble();
        double review = o.has("review") ? o.get("review").getAsDouble() : flag;
        try {
            return new ModerationQuestion(o.get("id").getAsString(), o.get("question").getAsString(), review, flag);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--policies-file " + file + ": entry " + index + ": "
                    + e.getMessage(), e);
        }
    }

    /** The JSON text of {@code policies}, in the format {@link #read} accepts. */
    public static String toJson(List<ModerationQuestion> policies) {
        JsonArray array = new JsonArray();
        for (ModerationQuestion p : policies) {
            JsonObject o = new JsonObject();
            o.addProperty("id", p.policyId());
            o.addProperty("question", p.question());
            o.addProperty("review", p.reviewThreshold());
            o.addProperty("flag", p.flagThreshold());
            array.add(o);
        }
        return array.toString();
    }
}
