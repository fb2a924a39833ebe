package dev.eveflink.model.bench.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One measurement's result, as a benchmark writes it to {@code <report>/parts/<name>.json} and
 * {@link BenchReport} reads it back (see {@link PartJson} for the file format).
 *
 * @param name the file name without {@code .json}, e.g. {@code batching-bench-s}
 * @param title a heading for the report
 * @param command the one line that reruns this measurement
 * @param table its figures
 * @param summary headline figures by key (merged into {@code summary.json})
 * @param plots plots to draw
 * @param notes sentences printed under the table
 * @param failure why the measurement did not complete (written by {@code deploy/bench.sh}), or null
 */
public record Part(String name, String title, String command, Table table, Map<String, Double> summary,
        List<Plot> plots, List<String> notes, String failure) {

    public Part {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(table, "table");
        summary = new LinkedHashMap<>(Objects.requireNonNull(summary, "summary"));
        for (Map.Entry<String, Double> e : summary.entrySet()) {
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("summary key " + e.getKey() + " of part " + name
                        + " is not a finite number: " + e.getValue());
            }
        }
        summary = java.util.Collections.unmodifiableMap(summary);
        plots = List.copyOf(plots);
        notes = List.copyOf(notes);
    }

    /** A completed measurement. */
    public static Part of(String name, String title, String command, Table table, Map<String, Double> summary,
            List<Plot> plots, List<String> notes) {
        return new Part(name, title, command, table, summary, plots, notes, null);
    }

    /** True when bench.sh recorded that this measurement failed. */
    public boolean failed() {
        return failure != null;
    }

    /**
     * A table: column names and rows of cells, each a String or a Number.
     *
     * @param columns the header
     * @param rows the cells, each row as long as the header
     */
    public record Table(List<String> columns, List<List<Object>> rows) {
        public Table {
            columns = List.copyOf(columns);
            rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r)))
                    .toList();
            for (List<Object> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("table row " + row + " has " + row.size()
                            + " cells for " + columns.size() + " columns " + columns);
                }
                for (Object cell : row) {
                    if (!(cell instanceof String) && !(cell instanceof Number)) {
                        throw new IllegalArgumentException("table cell " + cell + " is neither text nor a number");
                    }
                }
            }
        }

        public static Table empty() {
            return new Table(List.of(), List.of());
        }
    }

    /**
     * A line plot.
     *
     * @param file the PNG's file name inside the report folder
     * @param logX a logarithmic x axis
     */
    public record Plot(String file, String title, String xLabel, String yLabel, boolean logX, List<Series> series) {
        public Plot {
            Objects.requireNonNull(file, "file");
            if (!file.matches("[A-Za-z0-9._-]+\\.png")) {
                throw new IllegalArgumentException("plot file must be a plain name ending .png, got '" + file + "'");
            }
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(xLabel, "xLabel");
            Objects.requireNonNull(yLabel, "yLabel");
            series = List.copyOf(series);
        }
    }

    /**
     * One line of a plot.
     *
     * @param points {@code [x, y]} pairs in drawing order
     */
    public record Series(String name, List<double[]> points) {
        public Series {
            Objects.requireNonNull(name, "name");
            points = points.stream().map(double[]::clone).toList();
            for (double[] p : points) {
                if (p.length != 2 || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                    throw new IllegalArgumentException("series " + name + " has a point that is not a finite [x, y]: "
                            + java.util.Arrays.toString(p));
                }
            }
        }

        @Override
        public List<double[]> points() {
            return points.stream().map(double[]::clone).toList();
        }
    }
}
