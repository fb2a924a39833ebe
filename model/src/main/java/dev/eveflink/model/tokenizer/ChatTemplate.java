package dev.eveflink.model.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * EVE's conversation templates (FastChat style TWO, {@code sep = " "}, roles {@code USER}/{@code ASSISTANT}) and
 * EVE's {@code tokenizer_image_token}.
 *
 * <p>{@link #VICUNA_V1} is what EVE was fine-tuned and benchmarked with (the default); {@link #EVE_V1} is the
 * wording EVE's single-sample demo picks ("human" instead of "user" in the system string).
 */
public enum ChatTemplate {
    VICUNA_V1("vicuna_v1", "A chat between a curious user and an artificial intelligence assistant. "
            + "The assistant gives helpful, detailed, and polite answers to the user's questions."),
    EVE_V1("eve_v1", "A chat between a curious human and an artificial intelligence assistant. "
            + "The assistant gives helpful, detailed, and polite answers to the human's questions.");

    /** The sentinel id that stands for the image in {@code input_ids}; never looked up in the embedding table. */
    public static final int IMAGE_TOKEN_ID = -200;
    /** The literal image marker in a prompt string. */
    public static final String IMAGE_MARKER = "<image>";
    public static final ChatTemplate DEFAULT = VICUNA_V1;

    private static final Pattern IMAGE_SPLIT = Pattern.compile(Pattern.quote(IMAGE_MARKER));

    private final String templateName;
    private final String system;

    ChatTemplate(String templateName, String system) {
        this.templateName = templateName;
        this.system = system;
    }

    /** EVE's name for the template ({@code --conv-mode}): {@code vicuna_v1} or {@code eve_v1}. */
    public String templateName() {
        return templateName;
    }

    public String systemPrompt() {
        return system;
    }

    /** The template with EVE's name {@code name} (case-insensitive). */
    public static ChatTemplate byName(String name) {
        for (ChatTemplate t : values()) {
            if (t.templateName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown chat template '" + name + "'; known: "
                + Arrays.stream(values()).map(ChatTemplate::templateName).toList());
    }

    /**
     * The single-turn prompt {@code {SYSTEM} USER: <image>\n{question} ASSISTANT:} (without {@code <image>\n} when
     * {@code withImage} is false), byte for byte as EVE builds it.
     */
    public String prompt(String question, boolean withImage) {
        if (question == null) {
            throw new IllegalArgumentException("question must not be null");
        }
        String userTurn = withImage ? IMAGE_MARKER + "\n" + question : question;
        return system + " USER: " + userTurn + " ASSISTANT:";
    }

    /**
     * The ids the model is fed, BOS first: EVE's {@code tokenizer_image_token}. The prompt is split on
     * {@code <image>}; each chunk is encoded with BOS; only the first chunk keeps its BOS; chunks are joined with
     * {@link #IMAGE_TOKEN_ID}. A prompt without {@code <image>} gives {@code [BOS] + encode(prompt)}.
     */
    public static int[] tokenizeWithImage(Tokenizer tokenizer, String prompt) {
        if (tokenizer.bosId() < 0) {
            throw new TokenizerException("the tokenizer has no BOS piece; EVE's prompts need one");
        }
        String[] chunks = IMAGE_SPLIT.split(prompt, -1); // -1 keeps empty chunks, like Python's str.split
        List<Integer> ids = new ArrayList<>();
        ids.add(tokenizer.bosId());
        for (int c = 0; c < chunks.length; c++) {
            if (c > 0) {
                ids.add(IMAGE_TOKEN_ID);
            }
            for (int id : tokenizer.encode(chunks[c])) {
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return templateName.toLowerCase(Locale.ROOT);
    }
}
