package dev.eveflink.model.engine;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.image.ImageException;
import dev.eveflink.model.image.ImagePipeline;
import dev.eveflink.model.image.PreprocessedImage;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.vision.VisualInput;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The CPU side of a request, run on the engine's preprocessing pool: checks the question, decodes and
 * preprocesses the image, wraps the question in EVE's chat template and tokenizes it. Thread-safe
 * (the tokenizer and {@link ImagePipeline} are).
 */
final class RequestPreparer {
    private final Tokenizer tokenizer;
    private final ImagePipeline images;
    private final ChatTemplate template;
    private final int maxQuestionChars;

    RequestPreparer(Tokenizer tokenizer, ImagePipeline images, ChatTemplate template, int maxQuestionChars) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.images = Objects.requireNonNull(images, "images");
        this.template = Objects.requireNonNull(template, "template");
        this.maxQuestionChars = maxQuestionChars;
    }

    PreparedRequest prepare(InferenceRequest request, long submitNanos, long deadlineNanos,
            CompletableFuture<InferenceOutcome> future) throws RequestRejectedException {
        return new PreparedRequest(request.id(), request.task(), prompt(request), request.params(), request.priority(),
                deadlineNanos, submitNanos, future);
    }

    Prompt prompt(InferenceRequest request) throws RequestRejectedException {
        if (request.question().length() > maxQuestionChars) {
            throw new RequestRejectedException(ErrorCodes.QUESTION_TOO_LONG, "question has "
                    + request.question().length() + " chars, at most " + maxQuestionChars + " are accepted");
        }
        VisualInput image = null;
        if (request.image() != null) {
            try {
                PreprocessedImage pre = images.process(request.image());
                image = new VisualInput(pre.pixels(), pre.height(), pre.width());
            } catch (ImageException e) {
                throw new RequestRejectedException(ErrorCodes.image(e.code()), e.getMessage());
            }
        }
        try {
            int[] ids = ChatTemplate.tokenizeWithImage(tokenizer, template.prompt(request.question(), image != null));
            return new Prompt(ids, image);
        } catch (RuntimeException e) {
            throw new RequestRejectedException(ErrorCodes.INVALID_REQUEST, "cannot build the prompt: " + e);
        }
    }
}
