package dev.eveflink.model.demo.world;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldExportTest {

    @Test
    void writesImagesAndOneParsableTruthLinePerSample(@TempDir Path dir) throws Exception {
        List<Integer> progress = new ArrayList<>();
        WorldExport.export(dir, 3, 10, 12, progress::add);
        assertThat(progress).hasSize(12).endsWith(12);

        List<String> lines = Files.readAllLines(dir.resolve(WorldExport.TRUTH_FILE), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(12);
        for (int i = 0; i < lines.size(); i++) {
            WorldSample sample = World.sample(3, 10 + i);
            JsonObject json = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertThat(json.get("id").getAsString()).isEqualTo(sample.id());
            String file = json.get("file").getAsString();
            assertThat(Files.readAllBytes(dir.resolve(file))).isEqualTo(sample.image());
            assertThat(json.get("caption").getAsString()).isEqualTo(sample.truth().caption());
            assertThat(json.get("width").getAsInt()).isEqualTo(sample.scene().width());
            assertThat(json.get("noise").getAsBoolean()).isEqualTo(sample.scene().noisy());
            JsonArray shapes = json.getAsJsonArray("shapes");
            assertThat(shapes).hasSize(sample.scene().shapes().size());
            for (int s = 0; s < shapes.size(); s++) {
                Shape shape = sample.scene().shapes().get(s);
                JsonObject jsonShape = shapes.get(s).getAsJsonObject();
                assertThat(jsonShape.get("kind").getAsString()).isEqualTo(shape.kind().word());
                assertThat(jsonShape.get("x").getAsInt()).isEqualTo(shape.box().x());
                assertThat(jsonShape.get("size").getAsInt()).isEqualTo(shape.box().size());
            }
            JsonArray questions = json.getAsJsonArray("questions");
            assertThat(questions).hasSize(sample.truth().questions().size());
            for (int q = 0; q < questions.size(); q++) {
                QuestionAnswer qa = sample.truth().questions().get(q);
                assertThat(questions.get(q).getAsJsonObject().get("q").getAsString()).isEqualTo(qa.question());
                assertThat(questions.get(q).getAsJsonObject().get("a").getAsString()).isEqualTo(qa.answer());
            }
            JsonObject policies = json.getAsJsonObject("policies");
            assertThat(policies.get("prohibited-symbol").getAsBoolean())
                    .isEqualTo(sample.truth().flagged(DemoPolicy.PROHIBITED_SYMBOL));
            assertThat(policies.get("red-alert").getAsBoolean())
                    .isEqualTo(sample.truth().flagged(DemoPolicy.RED_ALERT));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(13);
        }
    }
}
