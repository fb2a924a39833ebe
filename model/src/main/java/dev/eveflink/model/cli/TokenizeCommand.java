package dev.eveflink.model.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/** {@code tokenize}: the ids of a text as the model is fed them (BOS first). */
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
            int[] body = ctx.tokenizer().encode(text);
            int[] ids = new int[body.length + 1];
            ids[0] = ctx.tokenizer().bosId();
            System.arraycopy(body, 0, ids, 1, body.length);
            out.println(Json.line(Map.of("ids", ids)));
        }
    }
}
