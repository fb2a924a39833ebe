package dev.eveflink.model.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/** {@code detokenize}: the text of token ids (special tokens skipped). */
final class DetokenizeCommand implements CliCommand {

    @Override
    public String name() {
        return "detokenize";
    }

    @Override
    public String usage() {
        return "detokenize --model DIR --ids 1,2,3";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "ids");
    }

    @Override
    public void run(CliArgs args, PrintStream out) throws Exception {
        int[] ids = args.ints("ids");
        try (ModelContext ctx = new ModelContext(args.path("model"))) {
            int vocab = ctx.tokenizer().vocabSize();
            for (int id : ids) {
                if (id < 0 || id >= vocab) {
                    throw new UsageException("id " + id + " is outside the vocabulary of " + vocab);
                }
            }
            out.println(Json.line(Map.of("text", ctx.tokenizer().decode(ids))));
        }
    }
}
