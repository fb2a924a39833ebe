package dev.eveflink.model.cli;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.generate.Generation;
import dev.eveflink.model.generate.GenerationRequest;
import dev.eveflink.model.generate.Generator;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.vision.VisualInput;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code generate}: greedy or sampled generation for one prompt, with or without an image. */
final class GenerateCommand implements CliCommand {
    static final int DEFAULT_MAX_NEW_TOKENS = 128;

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String usage() {
        return "generate --model DIR [--image FILE] (--input-ids IDS | --prompt TEXT) [--max-new-tokens N]\n"
                + "           [--temperature T --top-p P --top-k K --seed S]";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "image", "input-ids", "prompt", "max-new-tokens", "temperature", "top-p", "top-k",
                "seed");
    }

    @Override
    public void run(CliArgs args, PrintStream out) throws Exception {
        if (args.has("input-ids") == args.has("prompt")) {
            throw new UsageException("give exactly one of --input-ids and --prompt");
        }
        SamplingParams params = params(args);
        try (ModelContext ctx = new ModelContext(args.path("model"))) {
            VisualInput image = args.has("image") ? ModelContext.visualInput(ctx.preprocess(args.path("image"))) : null;
            int[] ids;
            if (args.has("prompt")) {
                String text = ChatTemplate.VICUNA_V1.prompt(args.required("prompt"), image != null);
                ids = ChatTemplate.tokenizeWithImage(ctx.tokenizer(), text);
            } else {
                ids = args.ints("input-ids");
            }
            Prompt prompt = PromptArgs.prompt(ids, image);
            Generation g = new Generator(ctx.model(), ctx.tokenizer()).generate(new GenerationRequest(prompt, params));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tokens", g.tokens());
            json.put("text", g.text());
            json.put("finish_reason", g.finishReason().name().toLowerCase(Locale.ROOT));
            out.println(Json.line(json));
        }
    }

    private static SamplingParams params(CliArgs args) throws UsageException {
        try {
            return new SamplingParams(
                    args.intValue("max-new-tokens", DEFAULT_MAX_NEW_TOKENS),
                    args.doubleValue("temperature", 0),
                    args.doubleValue("top-p", 1),
                    args.intValue("top-k", 0),
                    args.longValue("seed", 0),
                    List.of());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
