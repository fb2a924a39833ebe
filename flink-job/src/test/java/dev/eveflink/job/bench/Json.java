package dev.eveflink.job.bench;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the JSON of maps (in their iteration order), lists, strings, numbers, booleans and null:
 * all a report part needs. Non-finite numbers, which JSON cannot hold, are written as null.
 */
final class Json {
    private Json() {}

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "");
        return out.append('\n').toString();
    }

    private static void write(Object value, StringBuilder out, String indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d) ? number(d) : "null");
        } else if (value instanceof Number n) {
            out.append(n.longValue());
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            String inner = indent + "  ";
            Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                out.append('\n').append(inner);
                string(String.valueOf(e.getKey()), out);
                out.append(": ");
                write(e.getValue(), out, inner);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append(map.isEmpty() ? "}" : "\n" + indent + "}");
        } else if (value instanceof List<?> list) {
            // Short lists of scalars (a row, a point) stay on one line.
            boolean flat = list.stream().noneMatch(v -> v instanceof Map || v instanceof List<?> l && l.size() > 2);
            out.append('[');
            String inner = indent + "  ";
            for (int i = 0; i < list.size(); i++) {
                if (!flat) {
                    out.append('\n').append(inner);
                }
                write(list.get(i), out, inner);
                if (i < list.size() - 1) {
                    out.append(flat ? ", " : ",");
                }
            }
            out.append(flat || list.isEmpty() ? "]" : "\n" + indent + "]");
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    /** Whole numbers without a fraction, others with up to 4 decimals (plenty for ms and events/s). */
    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return java.math.BigDecimal.valueOf(d).setScale(4, java.math.RoundingMode.HALF_EVEN)
                .stripTrailingZeros().toPlainString();
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
