package dev.eveflink.model.cli;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.PromptBatch;
import dev.eveflink.model.generate.YesNoScore;
import dev.eveflink.model.generate.YesNoScorer;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.vision.VisualInput;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code score}: p(yes) and p(no) of the first answer token to a question about an image. */
final class ScoreCommand implements CliCommand {

    @Override
    public String name() {
        return "score";
    }

    @Override
    public String usage() {
        return "score --model DIR --image FILE --question TEXT";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "image", "question");
    }

    @Override
    public void run(CliArgs args, PrintStream out) throws Exception {
        String question = args.required("question");
        try (ModelContext ctx = new ModelContext(args.path("model"))) {
            VisualInput image = ModelContext.visualInput(ctx.preprocess(args.path("image")));
            String text = ChatTemplate.VICUNA_V1.prompt(question, true);
            Prompt prompt = PromptArgs.prompt(ChatTemplate.tokenizeWithImage(ctx.tokenizer(), text), image);
            try (PromptBatch batch = ctx.model().prefill(List.of(prompt), 0)) {
                YesNoScore yn = new YesNoScorer(ctx.tokenizer()).score(batch.logits()[0]);
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("p_yes", yn.pYes());
                json.put("p_no", yn.pNo());
                out.println(Json.line(json));
            }
        }
    }
}
