package dev.eveflink.model.demo.train;

import dev.eveflink.model.vision.VisualInput;
import java.util.List;
import java.util.Objects;

/**
 * One image packed for training: the prompt text before the image (BOS, system prompt, {@code USER:}), the
 * image, then one segment per question (or the caption request) that attends to that shared prefix and to
 * itself only.
 *
 * @param prefixIds token ids before the image marker
 * @param image the normalised pixels
 * @param gridHeight pooled token rows h
 * @param gridWidth pooled token columns w
 * @param segments the questions with their answers
 * @param cellKinds per cell (row-major h*w): 0 = background, 1 + kind ordinal
 * @param cellColors per cell: color ordinal, or colors + background ordinal
 * @param slotKinds per shape-list slot (left to right): 0 = none, 1 + kind ordinal
 * @param slotColors per slot: 0 = none, 1 + color ordinal
 */
public record TrainingExample(int[] prefixIds, VisualInput image, int gridHeight, int gridWidth,
        List<Segment> segments, int[] cellKinds, int[] cellColors, int[] slotKinds, int[] slotColors) {

    /**
     * One teacher-forced continuation of the prefix.
     *
     * @param promptIds the rest of the prompt after the image (newline, question, {@code ASSISTANT:})
     * @param answerIds the answer's tokens followed by EOS (the targets)
     */
    public record Segment(int[] promptIds, int[] answerIds) {
        public Segment {
            if (promptIds.length == 0 || answerIds.length == 0) {
                throw new IllegalArgumentException("a segment needs prompt and answer tokens");
            }
        }

        /** Tokens fed: the prompt and every answer token but the last (EOS is only predicted). */
        public int inputLength() {
            return promptIds.length + answerIds.length - 1;
        }

        /** Token fed at segment position j. */
        public int inputAt(int j) {
            return j < promptIds.length ? promptIds[j] : answerIds[j - promptIds.length];
        }
    }

    public TrainingExample {
        Objects.requireNonNull(image, "image");
        segments = List.copyOf(segments);
        if (cellKinds.length != gridHeight * gridWidth || cellColors.length != cellKinds.length) {
            throw new IllegalArgumentException("cell labels must cover the " + gridHeight + "x" + gridWidth + " grid");
        }
    }

    /** Visual tokens: CLS, then each row's cells and its split token. */
    public int visualTokens() {
        return 1 + gridHeight * (gridWidth + 1);
    }

    /** Positions of the shared prefix (text before the image plus the visual tokens). */
    public int prefixLength() {
        return prefixIds.length + visualTokens();
    }

    /** Packed sequence length. */
    public int packedLength() {
        int n = prefixLength();
        for (Segment s : segments) {
            n += s.inputLength();
        }
        return n;
    }
}
