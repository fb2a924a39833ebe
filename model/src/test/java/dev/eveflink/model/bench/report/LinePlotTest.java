package dev.eveflink.model.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinePlotTest {

    private static Part.Plot plot(boolean logX, Part.Series... series) {
        return new Part.Plot("p.png", "images/s by batch", "max batch", "images/s", logX, List.of(series));
    }

    @Test
    void drawsAnImageOfTheRequestedSizeWithEverySeriesInItsColour() {
        Part.Series a = new Part.Series("bench-s", List.of(new double[] {1, 2}, new double[] {4, 3},
                new double[] {16, 3.5}, new double[] {32, 3.4}));
        Part.Series b = new Part.Series("demo", List.of(new double[] {1, 10}, new double[] {32, 40}));

        BufferedImage image = new LinePlot(640, 400).draw(plot(true, a, b));

        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(400);
        assertThat(countPixels(image, LinePlot.PALETTE[0])).as("pixels of series 1").isGreaterThan(100);
        assertThat(countPixels(image, LinePlot.PALETTE[1])).as("pixels of series 2").isGreaterThan(100);
        assertThat(countPixels(image, Color.BLACK)).as("axes and text").isGreaterThan(500);
    }

    @Test
    void aPlotWithOnePointOrNoSeriesStillDraws() {
        Part.Series single = new Part.Series("one", List.<double[]>of(new double[] {3, 3}));
        assertThat(new LinePlot(400, 300).draw(plot(false, single)).getWidth()).isEqualTo(400);
        assertThat(new LinePlot(400, 300).draw(plot(true, single)).getHeight()).isEqualTo(300);
        assertThat(new LinePlot(400, 300).draw(plot(false)).getWidth()).isEqualTo(400);
    }

    @Test
    void linearTicksAreRoundStepsCoveringTheDataAndStartAtZeroWhenCheap() {
        LinePlot.Axis axis = LinePlot.Axis.of(List.of(3.0, 47.0), false, 0, 100);

        assertThat(axis.ticks()).containsExactly(0.0, 10.0, 20.0, 30.0, 40.0, 50.0);
        assertThat(axis.pixel(0)).isEqualTo(0.0);
        assertThat(axis.pixel(50)).isEqualTo(100.0);
        assertThat(axis.pixel(25)).isEqualTo(50.0);
    }

    @Test
    void logTicksArePowersOfTwoOverSmallRangesAndOfTenOverLargeOnes() {
        LinePlot.Axis batches = LinePlot.Axis.of(List.of(1.0, 4.0, 16.0, 32.0), true, 0, 500);
        assertThat(batches.ticks()).containsExactly(1.0, 2.0, 4.0, 8.0, 16.0, 32.0);
        assertThat(batches.pixel(1)).isEqualTo(0.0);
        assertThat(batches.pixel(32)).isEqualTo(500.0);
        assertThat(batches.pixel(4) - batches.pixel(1)).isCloseTo(batches.pixel(16) - batches.pixel(4),
                org.assertj.core.data.Offset.offset(1e-9));

        LinePlot.Axis loads = LinePlot.Axis.of(List.of(0.5, 700.0), true, 0, 100);
        assertThat(loads.ticks()).containsExactly(0.1, 1.0, 10.0, 100.0, 1000.0);
    }

    @Test
    void aLogAxisRefusesNonPositiveValues() {
        assertThatThrownBy(() -> LinePlot.Axis.of(List.of(0.0, 2.0), true, 0, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    @Test
    void tickLabelsDropNeedlessDecimals() {
        assertThat(LinePlot.label(16)).isEqualTo("16");
        assertThat(LinePlot.label(0.25)).isEqualTo("0.25");
        assertThat(LinePlot.label(2.5)).isEqualTo("2.5");
    }

    private static int countPixels(BufferedImage image, Color color) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (color.getRGB() & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }
}
