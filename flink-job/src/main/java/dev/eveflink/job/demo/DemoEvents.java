package dev.eveflink.job.demo;

import dev.eveflink.model.demo.world.GroundTruth;
import dev.eveflink.model.demo.world.QuestionAnswer;
import dev.eveflink.model.demo.world.WorldSample;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InlineImage;
import dev.eveflink.operators.avro.Task;
import java.nio.ByteBuffer;
import java.time.Instant;

/** The demo's events: a caption, a question or a moderation request per world image, in turn. */
final class DemoEvents {
    /** Answers of the demo model are short: a caption is at most about 20 tokens. */
    static final int MAX_NEW_TOKENS = 32;

    private DemoEvents() {}

    /** What event {@code i} asks, and what the right answer is. */
    record Expected(Task task, String question, String answer, GroundTruth truth) {}

    /** Index 0, 3, 6... caption; 1, 4, 7... a legal question of the scene; 2, 5, 8... moderation. */
    static Expected expected(WorldSample sample, int i) {
        GroundTruth truth = sample.truth();
        return switch (i % 3) {
            case 0 -> new Expected(Task.CAPTION, null, truth.caption(), truth);
            case 1 -> {
                QuestionAnswer qa = truth.questions().get((i / 3) % truth.questions().size());
                yield new Expected(Task.VQA, qa.question(), qa.answer(), truth);
            }
            default -> new Expected(Task.MODERATE, null, null, truth);
        };
    }

    static ImageEvent event(String id, WorldSample sample, Expected expected) {
        return ImageEvent.newBuilder()
                .setId(id)
                .setTimestamp(Instant.now())
                .setImage(InlineImage.newBuilder().setData(ByteBuffer.wrap(sample.image())).build())
                .setTask(expected.task())
                .setQuestion(expected.question())
                .setMaxNewTokens(expected.task() == Task.MODERATE ? null : MAX_NEW_TOKENS)
                .build();
    }
}
