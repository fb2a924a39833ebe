package dev.eveflink.model.cli;

import dev.eveflink.model.image.EveGeometry;
import dev.eveflink.model.image.PreprocessedImage;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code preprocess}: EVE's {@code [4, S, S]} pixel tensor of an image, written as safetensors. */
final class PreprocessCommand implements CliCommand {

    @Override
    public String name() {
        return "preprocess";
    }

    @Override
    public String usage() {
        return "preprocess --model DIR --image FILE --out FILE.safetensors";
    }

    @Override
    public Set<String> options() {
        return Set.of("model", "image", "out");
    }

    @Override
    public void run(CliArgs args, PrintStream out) throws Exception {
        try (ModelContext ctx = new ModelContext(args.path("model"))) {
            PreprocessedImage image = ctx.preprocess(args.path("image"));
            int size = ctx.imageConfig().imageSize();
            PixelValuesFile.write(args.path("out"), ctx.images().preprocessor().canvas(image), size);
            EveGeometry g = image.geometry();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("resized", new int[] {g.resizedWidth(), g.resizedHeight()});
            json.put("grid", new int[] {g.gridHeight(), g.gridWidth()});
            json.put("n_vis", g.nVis());
            out.println(Json.line(json));
        }
    }
}
