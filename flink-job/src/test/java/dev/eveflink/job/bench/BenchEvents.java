package dev.eveflink.job.bench;

import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.model.demo.world.QuestionAnswer;
import dev.eveflink.model.demo.world.World;
import dev.eveflink.model.demo.world.WorldSample;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InlineImage;
import dev.eveflink.operators.avro.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's request mix, the same as the demo's: event {@code i} asks for a caption when
 * {@code i % 3 == 0}, a legal question of its scene when 1, and moderation against both demo policies
 * (two yes/no scores) when 2. Images come from a fixed pool of shapes-world samples so that rendering
 * them does not compete with the measured work.
 */
final class BenchEvents {
    /** Answers of the demo model are short: a caption is at most about 20 tokens (as the demo). */
    static final int MAX_NEW_TOKENS = 32;

    private final List<WorldSample> samples;

    BenchEvents(long seed, int distinctImages) {
        if (distinctImages < 1) {
            throw new IllegalArgumentException("distinctImages must be >= 1, got " + distinctImages);
        }
        samples = new ArrayList<>(distinctImages);
        for (int i = 0; i < distinctImages; i++) {
            samples.add(World.sample(seed, i));
        }
    }

    /** Event {@code i} of the mix, created now. */
    ImageEvent event(String id, int i) {
        WorldSample sample = samples.get(Math.floorMod(i, samples.size()));
        Task task = task(i);
        String question = null;
        if (task == Task.VQA) {
            List<QuestionAnswer> questions = sample.truth().questions();
            question = questions.get(Math.floorMod(i / 3, questions.size())).question();
        }
        return ImageEvent.newBuilder()
                .setId(id)
                .setTimestamp(Instant.now())
                .setImage(InlineImage.newBuilder().setData(ByteBuffer.wrap(sample.image())).build())
                .setTask(task)
                .setQuestion(question)
                .setMaxNewTokens(task == Task.MODERATE ? null : MAX_NEW_TOKENS)
                .build();
    }

    /** The task of event {@code i}: caption, VQA, moderate in turn. */
    static Task task(int i) {
        return switch (Math.floorMod(i, 3)) {
            case 0 -> Task.CAPTION;
            case 1 -> Task.VQA;
            default -> Task.MODERATE;
        };
    }

    /** Kafka value of an event: Avro single-object encoding. */
    static byte[] bytes(ImageEvent event) {
        try {
            ByteBuffer buffer = event.toByteBuffer();
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode event " + event.getId(), e);
        }
    }

    /** The demo's two policies, flagged at score >= 0.5 (as the local demo configures them). */
    static List<ModerationPolicy> policies() {
        return DemoPolicy.policySet().policies();
    }
}
