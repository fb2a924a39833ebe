package dev.eveflink.model.cli;

import dev.eveflink.model.tokenizer.ChatTemplate;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/**
 * {@code tokenize}: the ids of a text as the model is fed them: BOS first, an {@code <image>} marker
 * as the sentinel -200 (EVE's {@code tokenizer_image_token}).
 */
final class TokenizeCommand implements CliCommand {

    @Override
    public String name() {
        return "tokenize";
    }

    @Override
    public String usage() {
        return "tokenize --model DIR --text TEXT";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "text");
    }

    @Override
    public void run(CliArgs args, PrintStream out) throws Exception {
        String text = args.required("text");
        try (ModelContext ctx = new ModelContext(args.path("model"))) {
            int[] ids = ChatTemplate.tokenizeWithImage(ctx.tokenizer(), text);
            out.println(Json.line(Map.of("ids", ids)));
        }
    }
}
