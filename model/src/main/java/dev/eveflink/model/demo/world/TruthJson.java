package dev.eveflink.model.demo.world;

import java.util.List;

/**
 * One line of {@code truth.jsonl}: a sample's id, file, scene (enough for another renderer to redraw
 * it), caption, questions and answers, and policy decisions. Written by hand: the values are plain
 * words and integers, and the model module stays free of a JSON dependency for this.
 */
final class TruthJson {
    private TruthJson() {}

    static String line(WorldSample sample) {
        Scene scene = sample.scene();
        GroundTruth truth = sample.truth();
        StringBuilder json = new StringBuilder(1024);
        json.append('{');
        field(json, "id", sample.id()).append(',');
        field(json, "file", sample.fileName()).append(',');
        json.append("\"seed\":").append(sample.seed()).append(',');
        json.append("\"index\":").append(sample.index()).append(',');
        field(json, "format", sample.encoding().format().fileExtension()).append(',');
        json.append("\"quality\":").append(sample.encoding().quality()).append(',');
        json.append("\"width\":").append(scene.width()).append(',');
        json.append("\"height\":").append(scene.height()).append(',');
        field(json, "background", scene.background().word()).append(',');
        json.append("\"noise\":").append(scene.noisy()).append(',');
        json.append("\"shapes\":[");
        List<Shape> shapes = scene.shapes();
        for (int i = 0; i < shapes.size(); i++) {
            Shape shape = shapes.get(i);
            json.append(i == 0 ? "{" : ",{");
            field(json, "kind", shape.kind().word()).append(',');
            field(json, "color", shape.color().word()).append(',');
            json.append("\"x\":").append(shape.box().x()).append(',');
            json.append("\"y\":").append(shape.box().y()).append(',');
            json.append("\"size\":").append(shape.box().size()).append('}');
        }
        json.append("],");
        field(json, "caption", truth.caption()).append(',');
        json.append("\"questions\":[");
        for (int i = 0; i < truth.questions().size(); i++) {
            QuestionAnswer qa = truth.questions().get(i);
            json.append(i == 0 ? "{" : ",{");
            field(json, "q", qa.question()).append(',');
            field(json, "a", qa.answer()).append('}');
        }
        json.append("],\"policies\":{");
        for (int i = 0; i < truth.policies().size(); i++) {
            PolicyTruth policy = truth.policies().get(i);
            json.append(i == 0 ? "" : ",");
            quoted(json, policy.policy().policyName()).append(':').append(policy.flagged());
        }
        json.append("}}");
        return json.toString();
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        quoted(json, name).append(':');
        return quoted(json, value);
    }

    private static StringBuilder quoted(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
