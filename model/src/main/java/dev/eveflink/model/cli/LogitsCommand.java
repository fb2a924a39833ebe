package dev.eveflink.model.cli;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.PromptBatch;
import dev.eveflink.model.vision.VisualInput;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code logits}: the full next-token logits after a prefill of the given ids and image. */
final class LogitsCommand implements CliCommand {

    @Override
    public String name() {
        return "logits";
    }

    @Override
    public String usage() {
        return "logits --model DIR (--image FILE | --pixels FILE.safetensors) --input-ids 1,2,-200,3";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "image", "pixels", "input-ids");
    }

    @Override
    public void run(CliArgs args, PrintStream out) throws Exception {
        int[] ids = args.ints("input-ids");
        if (args.has("image") && args.has("pixels")) {
            throw new UsageException("give --image or --pixels, not both");
        }
        try (ModelContext ctx = new ModelContext(args.path("model"))) {
            VisualInput image = null;
            if (args.has("image")) {
                image = ModelContext.visualInput(ctx.preprocess(args.path("image")));
            } else if (args.has("pixels")) {
                image = PixelValuesFile.read(args.path("pixels"), ctx.imageConfig());
            }
            Prompt prompt = PromptArgs.prompt(ids, image);
            try (PromptBatch batch = ctx.model().prefill(List.of(prompt), 0)) {
                Map<String, Object> json = new LinkedHashMap<>();
                int[] grid = batch.grid(0);
                json.put("grid", grid);
                json.put("n_vis", grid == null ? 0 : 1 + grid[0] * (grid[1] + 1));
                json.put("logits", batch.logits()[0]);
                out.println(Json.line(json));
            }
        }
    }
}
