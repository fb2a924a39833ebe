package dev.eveflink.model.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Typed access to one JSON config file; every error names the file and the key. */
final class JsonConfig {
    private final Path file;
    private final JsonObject root;

    private JsonConfig(Path file, JsonObject root) {
        this.file = file;
        this.root = root;
    }

    static JsonConfig read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            JsonElement parsed = JsonParser.parseString(text);
            if (!parsed.isJsonObject()) {
                throw new ConfigException(file + ": expected a JSON object at the top level");
            }
            return new JsonConfig(file, parsed.getAsJsonObject());
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": file not found", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    boolean has(String key) {
        return root.has(key) && !root.get(key).isJsonNull();
    }

    private JsonElement required(String key) {
        if (!has(key)) {
            throw new ConfigException(file + ": missing required key '" + key + "'");
        }
        return root.get(key);
    }

    int requireInt(String key) {
        JsonElement e = required(key);
        try {
            double d = e.getAsDouble();
            if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new ConfigException(file + ": key '" + key + "' must be an integer, got " + e);
            }
            return (int) d;
        } catch (UnsupportedOperationException | NumberFormatException | IllegalStateException ex) {
            throw new ConfigException(file + ": key '" + key + "' must be an integer, got " + e);
        }
    }

    int optInt(String key, int fallback) {
        return has(key) ? requireInt(key) : fallback;
    }

    double requireDouble(String key) {
        JsonElement e = required(key);
        try {
            return e.getAsDouble();
        } catch (UnsupportedOperationException | NumberFormatException | IllegalStateException ex) {
            throw new ConfigException(file + ": key '" + key + "' must be a number, got " + e);
        }
    }

    double optDouble(String key, double fallback) {
        return has(key) ? requireDouble(key) : fallback;
    }

    boolean optBoolean(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonElement e = root.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new ConfigException(file + ": key '" + key + "' must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }

    String requireString(String key) {
        JsonElement e = required(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ConfigException(file + ": key '" + key + "' must be a string, got " + e);
        }
        return e.getAsString();
    }

    String optString(String key, String fallback) {
        return has(key) ? requireString(key) : fallback;
    }

    double[] requireDoubles(String key, int length) {
        JsonElement e = required(key);
        if (!e.isJsonArray() || e.getAsJsonArray().size() != length) {
            throw new ConfigException(
                    file + ": key '" + key + "' must be an array of " + length + " numbers, got " + e);
        }
        JsonArray a = e.getAsJsonArray();
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = a.get(i).getAsDouble();
        }
        return out;
    }

    /** The raw element, for keys whose only legal value is null or absent (e.g. rope_scaling). */
    JsonElement raw(String key) {
        return root.get(key);
    }
}
