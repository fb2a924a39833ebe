package dev.eveflink.model;

import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.vision.VisualInput;
import java.util.Arrays;
import java.util.Objects;

/**
 * One sequence to prefill: token ids as EVE feeds them (BOS first) with the image sentinel
 * {@link #IMAGE_TOKEN_ID} where the image's visual tokens go, and that image. A text-only prompt has
 * no sentinel and no image. One image per prompt, as EVE supports.
 */
public record Prompt(int[] ids, VisualInput image) {

    /** EVE's {@code IMAGE_TOKEN_INDEX}: a sentinel, never looked up in the embedding table. */
    public static final int IMAGE_TOKEN_ID = ChatTemplate.IMAGE_TOKEN_ID;

    public Prompt {
        Objects.requireNonNull(ids, "ids");
        ids = ids.clone();
        long sentinels = Arrays.stream(ids).filter(id -> id == IMAGE_TOKEN_ID).count();
        if (image == null && sentinels != 0) {
            throw new IllegalArgumentException("prompt has an image marker (" + IMAGE_TOKEN_ID + ") but no image");
        }
        if (image != null && sentinels != 1) {
            throw new IllegalArgumentException(
                    "a prompt with an image needs exactly one " + IMAGE_TOKEN_ID + " marker, found " + sentinels);
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("prompt has no tokens");
        }
    }

    public static Prompt textOnly(int[] ids) {
        return new Prompt(ids, null);
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** Index of the image marker in {@link #ids()}, or -1. */
    public int imageIndex() {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == IMAGE_TOKEN_ID) {
                return i;
            }
        }
        return -1;
    }

    int tokenCount() {
        return ids.length;
    }

    int idAt(int i) {
        return ids[i];
    }
}
