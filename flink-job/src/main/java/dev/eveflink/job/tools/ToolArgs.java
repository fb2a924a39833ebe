package dev.eveflink.job.tools;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} arguments of a command-line tool; a wrong one ends the tool with usage (exit 2). */
final class ToolArgs {
    private final Map<String, String> values = new HashMap<>();
    private final String usage;

    ToolArgs(String[] args, Set<String> accepted, String usage) {
        this.usage = usage;
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !accepted.contains(name) || i + 1 >= args.length) {
                fail("bad argument '" + args[i] + "'");
            }
            values.put(name, args[++i]);
        }
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            fail("missing --" + name);
        }
        return v;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        try {
            return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
        } catch (NumberFormatException e) {
            fail("--" + name + " must be an integer");
            return fallback;
        }
    }

    long longValue(String name, long fallback) {
        try {
            return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
        } catch (NumberFormatException e) {
            fail("--" + name + " must be an integer");
            return fallback;
        }
    }

    /** A duration such as {@code 300s}, {@code 5m} or {@code 1500ms}. */
    Duration duration(String name, Duration fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            fail("--" + name + " must be a duration like 300s");
            return fallback;
        }
    }

    private void fail(String message) {
        System.err.println("error: " + message);
        System.err.println("usage: " + usage);
        System.exit(2);
    }
}
