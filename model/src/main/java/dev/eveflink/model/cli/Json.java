package dev.eveflink.model.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The CLI's JSON writer: compact, one object per line, no HTML escaping of {@code <}, {@code >}. */
final class Json {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues()
            .create();

    private Json() {}

    static String line(Object value) {
        return GSON.toJson(value);
    }
}
