package dev.eveflink.model.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import dev.eveflink.model.demo.train.DemoVocabulary;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicySelectionException;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.model.policy.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One parsed line of a {@code batch} requests file:
 * {@code {"id","image","task","question"?,"policies"?,"tenant"?}}. A moderate line checks the policies it
 * names, or every policy of its tenant (see {@link PolicySet#select}), as the Flink job does.
 *
 * @param id the caller's id (the line number when absent)
 * @param image the encoded image bytes
 * @param questions what the model is asked: one question for caption/vqa; for moderate every question of
 *     every policy, in policy then question order
 * @param policies the policies checked (moderate only); else empty
 */
record BatchLine(String id, byte[] image, List<String> questions, List<ModerationPolicy> policies) {

    /** The kinds of work a line may ask for. */
    enum Kind { CAPTION, VQA, MODERATE }

    BatchLine {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        questions = List.copyOf(questions);
        policies = List.copyOf(policies);
    }

    boolean isModeration() {
        return !policies.isEmpty();
    }

    /** A line that cannot be run, with the reason. */
    static final class BadLineException extends Exception {
        final String id;

        BadLineException(String id, String message) {
            super(message);
            this.id = id;
        }
    }

    /**
     * Parses one line; relative image paths are resolved against {@code baseDir}.
     *
     * @throws BadLineException naming what is wrong (unparsable JSON, unknown task, missing or unreadable image,
     *     a policy the set lacks or that does not apply to the line's tenant)
     */
    static BatchLine parse(String text, int lineNumber, Path baseDir, PolicySet policySet) throws BadLineException {
        String fallbackId = "line-" + lineNumber;
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(text);
            if (!parsed.isJsonObject()) {
                throw new BadLineException(fallbackId, "line " + lineNumber + " is not a JSON object");
            }
            json = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new BadLineException(fallbackId, "line " + lineNumber + " is not valid JSON: " + e.getMessage());
        }
        String id = string(json, "id", fallbackId, lineNumber);
        String taskName = string(json, "task", null, lineNumber);
        if (taskName == null) {
            throw new BadLineException(id, "line " + lineNumber + ": missing \"task\" (caption|vqa|moderate)");
        }
        Kind kind;
        try {
            kind = Kind.valueOf(taskName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadLineException(id, "line " + lineNumber + ": unknown task '" + taskName
                    + "' (caption|vqa|moderate)");
        }
        byte[] image = readImage(json, id, lineNumber, baseDir);
        return switch (kind) {
            case CAPTION -> new BatchLine(id, image, List.of(DemoVocabulary.CAPTION_QUESTION), List.of());
            case VQA -> {
                String question = string(json, "question", null, lineNumber);
                if (question == null || question.isBlank()) {
                    throw new BadLineException(id, "line " + lineNumber + ": task vqa needs a \"question\"");
                }
                yield new BatchLine(id, image, List.of(question), List.of());
            }
            case MODERATE -> {
                List<ModerationPolicy> policies = policies(json, id, lineNumber, policySet);
                yield new BatchLine(id, image, Verdict.questions(policies), policies);
            }
        };
    }

    private static byte[] readImage(JsonObject json, String id, int lineNumber, Path baseDir)
            throws BadLineException {
        String name = string(json, "image", null, lineNumber);
        if (name == null) {
            throw new BadLineException(id, "line " + lineNumber + ": missing \"image\"");
        }
        try {
            Path path = baseDir.resolve(name);
            return Files.readAllBytes(path);
        } catch (IOException | InvalidPathException e) {
            throw new BadLineException(id, "line " + lineNumber + ": cannot read image '" + name + "': "
                    + e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    private static List<ModerationPolicy> policies(JsonObject json, String id, int lineNumber, PolicySet policySet)
            throws BadLineException {
        JsonElement listed = json.get("policies");
        List<String> ids = null;
        if (listed != null && !listed.isJsonNull()) {
            if (!listed.isJsonArray()) {
                throw new BadLineException(id, "line " + lineNumber + ": \"policies\" must be an array of ids");
            }
            ids = new ArrayList<>();
            for (JsonElement e : (JsonArray) listed) {
                ids.add(e.isJsonPrimitive() ? e.getAsString() : String.valueOf(e));
            }
        }
        String tenant = string(json, "tenant", null, lineNumber);
        try {
            return policySet.select(ids, tenant);
        } catch (PolicySelectionException e) {
            throw new BadLineException(id, "line " + lineNumber + ": " + e.getMessage());
        }
    }

    private static String string(JsonObject json, String key, String fallback, int lineNumber)
            throws BadLineException {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive()) {
            throw new BadLineException(fallback == null ? "line-" + lineNumber : fallback,
                    "line " + lineNumber + ": \"" + key + "\" must be a string");
        }
        return e.getAsString();
    }
}
