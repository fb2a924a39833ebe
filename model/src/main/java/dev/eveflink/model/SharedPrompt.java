package dev.eveflink.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Several prompts about one image that begin alike, split for scoring: the {@link #prefix()} they
 * share (BOS, system prompt, {@code USER: }, the image) is prefilled once, and each of the
 * {@link #suffixes()} (the rest of one prompt, at least one token) runs over the prefix's keys and
 * values. Prefix plus suffix i is exactly full prompt i, so the logits equal the full prompt's.
 *
 * @param prefix the shared leading tokens with the image marker and the image (or a text-only prefix)
 * @param suffixes per prompt, the token ids after the prefix; none is empty and none holds the image marker
 */
public record SharedPrompt(Prompt prefix, List<int[]> suffixes) {

    public SharedPrompt {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(suffixes, "suffixes");
        if (suffixes.isEmpty()) {
            throw new IllegalArgumentException("a shared prompt needs at least one suffix");
        }
        List<int[]> copies = new ArrayList<>(suffixes.size());
        for (int i = 0; i < suffixes.size(); i++) {
            int[] suffix = Objects.requireNonNull(suffixes.get(i), "suffix " + i);
            if (suffix.length == 0) {
                throw new IllegalArgumentException("suffix " + i + " is empty: every prompt needs a token of its own");
            }
            for (int id : suffix) {
                if (id == Prompt.IMAGE_TOKEN_ID) {
                    throw new IllegalArgumentException("suffix " + i + " holds the image marker; it belongs in the prefix");
                }
            }
            copies.add(suffix.clone());
        }
        suffixes = List.copyOf(copies);
    }

    /**
     * Splits full prompts (as {@code ChatTemplate.tokenizeWithImage} gives them) at their longest common
     * token prefix, backed off so that every suffix keeps at least one token (two identical prompts
     * share all but their last token). All prompts must carry the same image (the same object, or all
     * none), and the shared prefix must contain its marker.
     *
     * @throws IllegalArgumentException when the prompts are empty, carry different images, or diverge
     *     before the image marker
     */
    public static SharedPrompt split(List<Prompt> prompts) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompts to split");
        }
        Prompt first = prompts.get(0);
        int common = first.tokenCount();
        for (int p = 1; p < prompts.size(); p++) {
            Prompt other = prompts.get(p);
            if (other.image() != first.image()) {
                throw new IllegalArgumentException("prompt " + p + " is about another image than prompt 0");
            }
            int n = Math.min(common, other.tokenCount());
            int i = 0;
            while (i < n && other.idAt(i) == first.idAt(i)) {
                i++;
            }
            common = i;
        }
        for (Prompt p : prompts) {
            common = Math.min(common, p.tokenCount() - 1); // every suffix keeps a token
        }
        int marker = first.imageIndex();
        if (marker >= 0 && common <= marker) {
            throw new IllegalArgumentException("the prompts diverge at token " + common
                    + ", before the image marker at " + marker + ": the image cannot be shared");
        }
        if (common == 0) {
            throw new IllegalArgumentException("the prompts share no leading token");
        }
        int[] firstIds = first.ids();
        int[] prefixIds = Arrays.copyOf(firstIds, common);
        List<int[]> suffixes = new ArrayList<>(prompts.size());
        for (Prompt p : prompts) {
            int[] ids = p.ids();
            suffixes.add(Arrays.copyOfRange(ids, common, ids.length));
        }
        return new SharedPrompt(new Prompt(prefixIds, first.image()), suffixes);
    }

    /** Suffix {@code i}'s ids (a copy). */
    public int[] suffix(int i) {
        return suffixes.get(i).clone();
    }

    public int size() {
        return suffixes.size();
    }

    /** Tokens of all suffixes together. */
    public int suffixTokens() {
        int total = 0;
        for (int[] s : suffixes) {
            total += s.length;
        }
        return total;
    }

    /** Full prompt {@code i} again: the prefix followed by suffix i. */
    public Prompt full(int i) {
        int[] p = prefix.ids();
        int[] s = suffixes.get(i);
        int[] ids = Arrays.copyOf(p, p.length + s.length);
        System.arraycopy(s, 0, ids, p.length, s.length);
        return new Prompt(ids, prefix.image());
    }

    @Override
    public List<int[]> suffixes() {
        List<int[]> copies = new ArrayList<>(suffixes.size());
        for (int[] s : suffixes) {
            copies.add(s.clone());
        }
        return copies;
    }
}
