package dev.eveflink.model.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of one command, checked against the names the command accepts. */
final class CliArgs {
    private final Map<String, String> values;

    private CliArgs(Map<String, String> values) {
        this.values = values;
    }

    static CliArgs parse(String[] args, int from, Set<String> accepted) throws UsageException {
        Map<String, String> values = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() < 3) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            if (!accepted.contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
            if (i + 1 >= args.length) {
                throw new UsageException("option --" + name + " needs a value");
            }
            if (values.put(name, args[++i]) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        return new CliArgs(values);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String required(String name) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("missing required option --" + name);
        }
        return v;
    }

    String optional(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    Path path(String name) throws UsageException {
        return Path.of(required(name));
    }

    int intValue(String name, int fallback) throws UsageException {
        return has(name) ? parseInt(name, values.get(name)) : fallback;
    }

    long longValue(String name, long fallback) throws UsageException {
        if (!has(name)) {
            return fallback;
        }
        try {
            return Long.parseLong(values.get(name).strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + values.get(name) + "'");
        }
    }

    double doubleValue(String name, double fallback) throws UsageException {
        if (!has(name)) {
            return fallback;
        }
        try {
            return Double.parseDouble(values.get(name).strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + values.get(name) + "'");
        }
    }

    /** A comma-separated list of integers, e.g. {@code 1,2,-200,3}. */
    int[] ints(String name) throws UsageException {
        String raw = required(name).strip();
        if (raw.isEmpty()) {
            return new int[0];
        }
        String[] parts = raw.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parseInt(name, parts[i]);
        }
        return out;
    }

    private static int parseInt(String name, String raw) throws UsageException {
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must hold integers, got '" + raw + "'");
        }
    }
}
