package dev.eveflink.model.engine;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.image.ImageException;
import dev.eveflink.model.image.ImagePipeline;
import dev.eveflink.model.image.PreprocessedImage;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.vision.VisualInput;
import java.util.ArrayList;
import java.util.List;
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
        return new PreparedRequest(request.id(), request.task(), prompts(request), request.params(),
                request.priority(), deadlineNanos, submitNanos, future);
    }

    /** One full prompt per question, all sharing one preprocessed image. */
    List<Prompt> prompts(InferenceRequest request) throws RequestRejectedException {
        for (int i = 0; i < request.questions().size(); i++) {
            String question = request.questions().get(i);
            if (question.length() > maxQuestionChars) {
                throw new RequestRejectedException(ErrorCodes.QUESTION_TOO_LONG, "question " + i + " has "
                        + question.length() + " chars, at most " + maxQuestionChars + " are accepted");
            }
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
            List<Prompt> prompts = new ArrayList<>(request.questions().size());
            for (String question : request.questions()) {
                int[] ids = ChatTemplate.tokenizeWithImage(tokenizer, template.prompt(question, image != null));
                prompts.add(new Prompt(ids, image));
            }
            return prompts;
        } catch (RuntimeException e) {
            throw new RequestRejectedException(ErrorCodes.INVALID_REQUEST, "cannot build the prompt: " + e);
        }
    }
}
