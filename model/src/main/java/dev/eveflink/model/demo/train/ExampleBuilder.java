package dev.eveflink.model.demo.train;

import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.demo.world.BoundingBox;
import dev.eveflink.model.demo.world.QuestionAnswer;
import dev.eveflink.model.demo.world.Scene;
import dev.eveflink.model.demo.world.Shape;
import dev.eveflink.model.demo.world.ShapeColor;
import dev.eveflink.model.demo.world.WorldSample;
import dev.eveflink.model.image.EveGeometry;
import dev.eveflink.model.image.ImageException;
import dev.eveflink.model.image.ImageLimits;
import dev.eveflink.model.image.ImagePipeline;
import dev.eveflink.model.image.PreprocessedImage;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.vision.VisualInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns world samples into packed {@link TrainingExample}s with exactly the tokens inference feeds: each
 * prompt is {@link ChatTemplate#VICUNA_V1} through {@link ChatTemplate#tokenizeWithImage}, and each answer is
 * what follows {@code ASSISTANT:} when the whole turn {@code ... ASSISTANT: answer} is tokenized, then EOS.
 * Not thread-safe (caches tokenizations).
 */
public final class ExampleBuilder {
    private final Tokenizer tokenizer;
    private final ImagePipeline images;
    private final int cell;
    private final Map<String, int[][]> promptCache = new HashMap<>(); // question -> {prefix, rest}
    private final Map<String, int[]> answerCache = new HashMap<>();

    public ExampleBuilder(Tokenizer tokenizer, PreprocessorConfig imageConfig) {
        this.tokenizer = tokenizer;
        this.images = new ImagePipeline(imageConfig, ImageLimits.defaults());
        this.cell = imageConfig.patchStride() * imageConfig.convStride();
    }

    public TrainingExample build(WorldSample sample) {
        PreprocessedImage pre;
        try {
            pre = images.process(sample.image());
        } catch (ImageException e) {
            throw new IllegalStateException("world sample " + sample.index() + " does not decode: " + e.getMessage(), e);
        }
        EveGeometry g = pre.geometry();
        VisualInput image = new VisualInput(pre.pixels(), pre.height(), pre.width());
        List<TrainingExample.Segment> segments = new ArrayList<>();
        int[] prefix = null;
        for (QuestionAnswer qa : sample.truth().questions()) {
            int[][] p = prompt(qa.question());
            prefix = p[0];
            segments.add(new TrainingExample.Segment(p[1], answer(qa.question(), qa.answer(), p[1])));
        }
        int[][] cap = prompt(DemoVocabulary.CAPTION_QUESTION);
        prefix = cap[0];
        segments.add(new TrainingExample.Segment(cap[1],
                answer(DemoVocabulary.CAPTION_QUESTION, sample.truth().caption(), cap[1])));
        Scene scene = sample.scene();
        int h = g.gridHeight();
        int w = g.gridWidth();
        int[] kinds = new int[h * w];
        int[] colors = new int[h * w];
        int colorCount = ShapeColor.values().length;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                // the cell's centre in original pixels (the resize maps the whole image onto the rectangle)
                double x = (c + 0.5) * cell * scene.width() / pre.width();
                double y = (r + 0.5) * cell * scene.height() / pre.height();
                Shape hit = null;
                for (Shape s : scene.shapes()) {
                    BoundingBox b = s.box();
                    if (x >= b.x() && x < b.endX() && y >= b.y() && y < b.endY()) {
                        hit = s;
                    }
                }
                kinds[r * w + c] = hit == null ? 0 : 1 + hit.kind().ordinal();
                colors[r * w + c] = hit == null ? colorCount + scene.background().ordinal() : hit.color().ordinal();
            }
        }
        int[] slotKinds = new int[DemoParameters.SLOTS];
        int[] slotColors = new int[DemoParameters.SLOTS];
        for (int i = 0; i < scene.shapes().size(); i++) {
            slotKinds[i] = 1 + scene.shapes().get(i).kind().ordinal();
            slotColors[i] = 1 + scene.shapes().get(i).color().ordinal();
        }
        return new TrainingExample(prefix, image, h, w, segments, kinds, colors, slotKinds, slotColors);
    }

    /** {prefix before the image, the rest} of the single-turn prompt for {@code question}. */
    public int[][] prompt(String question) {
        return promptCache.computeIfAbsent(question, q -> {
            int[] ids = ChatTemplate.tokenizeWithImage(tokenizer, ChatTemplate.VICUNA_V1.prompt(q, true));
            int marker = -1;
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] == ChatTemplate.IMAGE_TOKEN_ID) {
                    marker = i;
                }
            }
            return new int[][] {Arrays.copyOf(ids, marker), Arrays.copyOfRange(ids, marker + 1, ids.length)};
        });
    }

    /** The answer's tokens as they follow {@code ASSISTANT:} in the tokenized turn, then EOS. */
    private int[] answer(String question, String answer, int[] rest) {
        return answerCache.computeIfAbsent(question + "\u0000" + answer, k -> {
            String turn = ChatTemplate.VICUNA_V1.prompt(question, true) + " " + answer;
            int[] full = ChatTemplate.tokenizeWithImage(tokenizer, turn);
            int start = full.length;
            for (int i = 0; i < full.length; i++) {
                if (full[i] == ChatTemplate.IMAGE_TOKEN_ID) {
                    start = i + 1;
                }
            }
            int[] after = Arrays.copyOfRange(full, start, full.length);
            if (after.length <= rest.length || !Arrays.equals(Arrays.copyOf(after, rest.length), rest)) {
                throw new IllegalStateException("tokenizing '" + answer + "' after the prompt changes the prompt's "
                        + "tokens; the answer cannot be trained as a continuation");
            }
            int[] out = Arrays.copyOfRange(after, rest.length, after.length + 1);
            out[out.length - 1] = tokenizer.eosId();
            return out;
        });
    }
}
