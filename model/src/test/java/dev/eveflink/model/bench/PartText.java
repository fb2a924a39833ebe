package dev.eveflink.model.bench;

import dev.eveflink.model.bench.report.Part;
import java.util.List;

/** A part as markdown for the console: title, command, table, notes. */
final class PartText {
    private PartText() {}

    static String markdown(Part part) {
        StringBuilder sb = new StringBuilder("\n## ").append(part.title()).append("\n\n");
        sb.append(part.command()).append("\n\n");
        sb.append("| ").append(String.join(" | ", part.table().columns())).append(" |\n");
        sb.append("|").append("---|".repeat(part.table().columns().size())).append('\n');
        for (List<Object> row : part.table().rows()) {
            sb.append("| ").append(String.join(" | ", row.stream().map(PartText::cell).toList())).append(" |\n");
        }
        sb.append('\n');
        part.notes().forEach(n -> sb.append("- ").append(n).append('\n'));
        part.summary().forEach((k, v) -> sb.append(k).append(" = ").append(cell(v)).append('\n'));
        return sb.toString();
    }

    private static String cell(Object value) {
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
        return value.toString();
    }
}
