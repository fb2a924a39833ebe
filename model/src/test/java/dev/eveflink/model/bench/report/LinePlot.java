package dev.eveflink.model.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link Part.Plot} as a line chart with Java2D: axes with ticks at round values (1-2-5
 * steps, or powers of 10 / 2 on a logarithmic x axis), axis labels, a title, one coloured line with
 * point markers per series and a legend. Headless; no dependency beyond the JDK.
 */
public final class LinePlot {
    /** Series colours, in order (a colour-blind-safe palette). */
    static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
        new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000)};
    static final Color BACKGROUND = Color.WHITE;

    private static final int LEFT = 80;
    private static final int RIGHT = 24;
    private static final int TOP = 44;
    private static final int BOTTOM = 60;

    private final int width;
    private final int height;

    public LinePlot(int width, int height) {
        if (width < LEFT + RIGHT + 50 || height < TOP + BOTTOM + 50) {
            throw new IllegalArgumentException("plot size " + width + "x" + height + " is too small");
        }
        this.width = width;
        this.height = height;
    }

    /** The plot as an RGB image of this plotter's size. */
    public BufferedImage draw(Part.Plot plot) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            centered(g, plot.title(), width / 2, 26);

            Axis x = Axis.of(values(plot, 0), plot.logX(), LEFT, width - RIGHT);
            Axis y = Axis.of(values(plot, 1), false, height - BOTTOM, TOP);
            drawAxes(g, plot, x, y);
            for (int s = 0; s < plot.series().size(); s++) {
                drawSeries(g, plot.series().get(s), PALETTE[s % PALETTE.length], x, y);
            }
            drawLegend(g, plot, x, y);
        } finally {
            g.dispose();
        }
        return image;
    }

    private void drawAxes(Graphics2D g, Part.Plot plot, Axis x, Axis y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        Color grid = new Color(0xE5E5E5);
        for (double t : x.ticks()) {
            int px = (int) Math.round(x.pixel(t));
            g.setColor(grid);
            g.drawLine(px, TOP, px, height - BOTTOM);
            g.setColor(Color.BLACK);
            g.drawLine(px, height - BOTTOM, px, height - BOTTOM + 5);
            centered(g, label(t), px, height - BOTTOM + 8 + fm.getAscent());
        }
        for (double t : y.ticks()) {
            int py = (int) Math.round(y.pixel(t));
            g.setColor(grid);
            g.drawLine(LEFT, py, width - RIGHT, py);
            g.setColor(Color.BLACK);
            g.drawLine(LEFT - 5, py, LEFT, py);
            String text = label(t);
            g.drawString(text, LEFT - 8 - fm.stringWidth(text), py + fm.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.2f));
        g.drawLine(LEFT, height - BOTTOM, width - RIGHT, height - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, height - BOTTOM);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        String xLabel = plot.logX() ? plot.xLabel() + " (log scale)" : plot.xLabel();
        centered(g, xLabel, (LEFT + width - RIGHT) / 2, height - 14);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centered(g, plot.yLabel(), -(TOP + height - BOTTOM) / 2, 20);
        g.setTransform(saved);
    }

    private static void drawSeries(Graphics2D g, Part.Series series, Color color, Axis x, Axis y) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        List<double[]> points = series.points();
        int[] px = new int[points.size()];
        int[] py = new int[points.size()];
        for (int i = 0; i < points.size(); i++) {
            px[i] = (int) Math.round(x.pixel(points.get(i)[0]));
            py[i] = (int) Math.round(y.pixel(points.get(i)[1]));
        }
        g.drawPolyline(px, py, px.length);
        if (points.size() <= 60) { // markers would hide a long line
            for (int i = 0; i < px.length; i++) {
                g.fillOval(px[i] - 4, py[i] - 4, 9, 9);
            }
        }
    }

    private void drawLegend(Graphics2D g, Part.Plot plot, Axis x, Axis y) {
        if (plot.series().isEmpty()) {
            return;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int line = fm.getHeight() + 2;
        int textWidth = plot.series().stream().mapToInt(s -> fm.stringWidth(s.name())).max().orElse(0);
        int boxWidth = textWidth + 40;
        int boxHeight = line * plot.series().size() + 8;
        // the corner of the plot area that hides the fewest points: top right, top left, bottom right
        int[][] corners = {{width - RIGHT - boxWidth - 8, TOP + 8}, {LEFT + 8, TOP + 8},
            {width - RIGHT - boxWidth - 8, height - BOTTOM - boxHeight - 8}};
        int bx = corners[0][0];
        int by = corners[0][1];
        int fewest = Integer.MAX_VALUE;
        for (int[] c : corners) {
            int hidden = 0;
            for (Part.Series s : plot.series()) {
                List<double[]> points = s.points();
                for (int i = 0; i < points.size(); i++) {
                    double[] p = points.get(i);
                    double[] q = points.get(Math.max(0, i - 1));
                    for (int k = 0; k <= 16; k++) { // the point and the segment leading to it
                        double px = x.pixel(p[0]) + (x.pixel(q[0]) - x.pixel(p[0])) * k / 16;
                        double py = y.pixel(p[1]) + (y.pixel(q[1]) - y.pixel(p[1])) * k / 16;
                        if (px >= c[0] - 6 && px <= c[0] + boxWidth + 6 && py >= c[1] - 6
                                && py <= c[1] + boxHeight + 6) {
                            hidden++;
                        }
                    }
                }
            }
            if (hidden < fewest) {
                fewest = hidden;
                bx = c[0];
                by = c[1];
            }
        }
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(bx, by, boxWidth, boxHeight);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(bx, by, boxWidth, boxHeight);
        for (int s = 0; s < plot.series().size(); s++) {
            int cy = by + 4 + line * s + line / 2;
            g.setColor(PALETTE[s % PALETTE.length]);
            g.setStroke(new BasicStroke(2.2f));
            g.drawLine(bx + 6, cy, bx + 26, cy);
            g.setColor(Color.BLACK);
            g.drawString(plot.series().get(s).name(), bx + 32, cy + fm.getAscent() / 2 - 1);
        }
    }

    private static List<Double> values(Part.Plot plot, int coordinate) {
        List<Double> out = new ArrayList<>();
        for (Part.Series s : plot.series()) {
            for (double[] p : s.points()) {
                out.add(p[coordinate]);
            }
        }
        return out;
    }

    private static void centered(Graphics2D g, String text, int cx, int baseline) {
        g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }

    /** A tick label: integers without decimals, others with up to 3 significant decimals. */
    static String label(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9 * Math.max(1, Math.abs(v))) {
            return String.format(Locale.ROOT, "%d", (long) Math.rint(v));
        }
        String s = String.format(Locale.ROOT, "%.3g", v);
        return s.contains("e") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /**
     * One axis: maps data values to pixels ({@code from} is the pixel of the lowest value, {@code to}
     * of the highest; for y, {@code from} is the larger pixel).
     */
    record Axis(double min, double max, boolean log, double from, double to, List<Double> ticks) {

        static Axis of(List<Double> values, boolean log, double from, double to) {
            if (log && values.stream().anyMatch(v -> v <= 0)) {
                throw new IllegalArgumentException("a logarithmic axis needs positive values, got " + values);
            }
            double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            if (log) {
                if (lo == hi) {
                    lo /= 2;
                    hi *= 2;
                }
                List<Double> ticks = logTicks(lo, hi);
                return new Axis(Math.min(lo, ticks.get(0)), Math.max(hi, ticks.get(ticks.size() - 1)), true, from,
                        to, ticks);
            }
            if (lo == hi) {
                lo = lo == 0 ? -1 : lo - Math.abs(lo) * 0.5;
                hi = hi == 0 ? 1 : hi + Math.abs(hi) * 0.5;
            }
            if (lo > 0 && lo < (hi - lo) * 0.5) {
                lo = 0; // start at zero when that costs little room: ratios read true
            }
            double step = niceStep((hi - lo) / 6);
            double first = Math.floor(lo / step) * step;
            double last = Math.ceil(hi / step) * step;
            List<Double> ticks = new ArrayList<>();
            for (long i = 0; first + i * step <= last + step * 1e-9; i++) {
                ticks.add(clean(first + i * step, step));
            }
            return new Axis(first, last, false, from, to, ticks);
        }

        double pixel(double value) {
            double f = log
                    ? (Math.log(value) - Math.log(min)) / (Math.log(max) - Math.log(min))
                    : (value - min) / (max - min);
            return from + f * (to - from);
        }

        /** The smallest of 1, 2, 5 x 10^k at or above {@code raw}. */
        static double niceStep(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            for (double m : new double[] {1, 2, 5, 10}) {
                if (m * magnitude >= raw * (1 - 1e-9)) {
                    return m * magnitude;
                }
            }
            return 10 * magnitude;
        }

        /** Powers of 10 over two decades or more, else powers of 2 (batch sizes 1, 2, 4 ... 32). */
        static List<Double> logTicks(double lo, double hi) {
            double base = Math.log10(hi / lo) >= 2 ? 10 : 2;
            double first = Math.pow(base, Math.floor(Math.log(lo) / Math.log(base) + 1e-9));
            List<Double> ticks = new ArrayList<>();
            for (double t = first; t <= hi * base; t *= base) {
                ticks.add(t);
                if (t >= hi * (1 - 1e-9)) {
                    break;
                }
            }
            return ticks;
        }

        private static double clean(double v, double step) {
            return Math.rint(v / step) * step;
        }
    }
}
