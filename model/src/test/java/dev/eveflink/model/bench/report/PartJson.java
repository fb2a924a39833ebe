package dev.eveflink.model.bench.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part file format, shared by every benchmark of the suite (the pipeline benchmarks in flink-job
 * write the same):
 *
 * <pre>
 * {"title": str, "command": str, "table": {"columns": [str...], "rows": [[str|number...]...]},
 *  "summary": {"key": number, ...},
 *  "plots": [{"file": "name.png", "title": str, "x_label": str, "y_label": str, "log_x": bool,
 *             "series": [{"name": str, "points": [[x, y], ...]}]}],
 *  "notes": [str...]}
 * </pre>
 *
 * plus an optional {@code "failure": str} that only {@code deploy/bench.sh} writes, for a measurement
 * that did not complete. The part's name is its file name without {@code .json}.
 */
public final class PartJson {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    private PartJson() {}

    /** Writes {@code part} to {@code file} (parent folders created). */
    public static void write(Part part, Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, GSON.toJson(toJson(part)) + "\n", StandardCharsets.UTF_8);
    }

    /** Reads one part file; a field left out reads as empty, a malformed one fails naming the file. */
    public static Part read(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            return new Part(name, text(o, "title", name), text(o, "command", "(not given)"), table(o),
                    summary(o), plots(o), strings(o, "notes"),
                    o.has("failure") && !o.get("failure").isJsonNull() ? o.get("failure").getAsString() : null);
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException
                | IllegalArgumentException e) {
            throw new IOException("part file " + file + " is malformed: " + e.getMessage(), e);
        }
    }

    static JsonObject toJson(Part part) {
        JsonObject o = new JsonObject();
        o.addProperty("title", part.title());
        o.addProperty("command", part.command());
        JsonObject table = new JsonObject();
        JsonArray columns = new JsonArray();
        part.table().columns().forEach(columns::add);
        table.add("columns", columns);
        JsonArray rows = new JsonArray();
        for (List<Object> row : part.table().rows()) {
            JsonArray cells = new JsonArray();
            for (Object cell : row) {
                cells.add(cell instanceof Number n ? new JsonPrimitive(n) : new JsonPrimitive((String) cell));
            }
            rows.add(cells);
        }
        table.add("rows", rows);
        o.add("table", table);
        JsonObject summary = new JsonObject();
        part.summary().forEach(summary::addProperty);
        o.add("summary", summary);
        JsonArray plots = new JsonArray();
        for (Part.Plot plot : part.plots()) {
            JsonObject p = new JsonObject();
            p.addProperty("file", plot.file());
            p.addProperty("title", plot.title());
            p.addProperty("x_label", plot.xLabel());
            p.addProperty("y_label", plot.yLabel());
            p.addProperty("log_x", plot.logX());
            JsonArray series = new JsonArray();
            for (Part.Series s : plot.series()) {
                JsonObject so = new JsonObject();
                so.addProperty("name", s.name());
                JsonArray points = new JsonArray();
                for (double[] xy : s.points()) {
                    JsonArray pair = new JsonArray();
                    pair.add(xy[0]);
                    pair.add(xy[1]);
                    points.add(pair);
                }
                so.add("points", points);
                series.add(so);
            }
            p.add("series", series);
            plots.add(p);
        }
        o.add("plots", plots);
        JsonArray notes = new JsonArray();
        part.notes().forEach(notes::add);
        o.add("notes", notes);
        if (part.failure() != null) {
            o.addProperty("failure", part.failure());
        }
        return o;
    }

    private static String text(JsonObject o, String key, String absent) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : absent;
    }

    private static Part.Table table(JsonObject o) {
        if (!o.has("table") || o.get("table").isJsonNull()) {
            return Part.Table.empty();
        }
        JsonObject t = o.getAsJsonObject("table");
        List<String> columns = strings(t, "columns");
        List<List<Object>> rows = new ArrayList<>();
        if (t.has("rows")) {
            for (JsonElement row : t.getAsJsonArray("rows")) {
                List<Object> cells = new ArrayList<>();
                for (JsonElement cell : row.getAsJsonArray()) {
                    JsonPrimitive p = cell.getAsJsonPrimitive();
                    cells.add(p.isNumber() ? (Object) p.getAsDouble() : p.getAsString());
                }
                rows.add(cells);
            }
        }
        return new Part.Table(columns, rows);
    }

    private static Map<String, Double> summary(JsonObject o) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (o.has("summary") && !o.get("summary").isJsonNull()) {
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("summary").entrySet()) {
                JsonElement v = e.getValue();
                if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                    throw new IllegalArgumentException("summary key " + e.getKey() + " is not a number: " + v);
                }
                out.put(e.getKey(), v.getAsDouble());
            }
        }
        return out;
    }

    private static List<Part.Plot> plots(JsonObject o) {
        List<Part.Plot> out = new ArrayList<>();
        if (o.has("plots") && !o.get("plots").isJsonNull()) {
            for (JsonElement pe : o.getAsJsonArray("plots")) {
                JsonObject p = pe.getAsJsonObject();
                List<Part.Series> series = new ArrayList<>();
                for (JsonElement se : p.getAsJsonArray("series")) {
                    JsonObject s = se.getAsJsonObject();
                    List<double[]> points = new ArrayList<>();
                    for (JsonElement xy : s.getAsJsonArray("points")) {
                        JsonArray pair = xy.getAsJsonArray();
                        if (pair.size() != 2) {
                            throw new IllegalArgumentException("a point of series " + text(s, "name", "?")
                                    + " is not [x, y]: " + pair);
                        }
                        points.add(new double[] {pair.get(0).getAsDouble(), pair.get(1).getAsDouble()});
                    }
                    series.add(new Part.Series(text(s, "name", ""), points));
                }
                out.add(new Part.Plot(text(p, "file", ""), text(p, "title", ""), text(p, "x_label", ""),
                        text(p, "y_label", ""), p.has("log_x") && p.get("log_x").getAsBoolean(), series));
            }
        }
        return out;
    }

    private static List<String> strings(JsonObject o, String key) {
        List<String> out = new ArrayList<>();
        if (o.has(key) && !o.get(key).isJsonNull()) {
            for (JsonElement e : o.getAsJsonArray(key)) {
                out.add(e.getAsString());
            }
        }
        return out;
    }
}
