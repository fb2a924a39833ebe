package dev.eveflink.model.demo.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorldSpecTest {

    @Test
    void heightRangeIsExactlyTheHeightsThatKeepBothSidesInRangeAndAspectAtMostTwo() {
        for (int width = 64; width <= 256; width++) {
            List<Integer> legal = new ArrayList<>();
            for (int height = 1; height <= 1000; height++) {
                double ratio = Math.max(width, height) / (double) Math.min(width, height);
                if (height >= 64 && height <= 256 && ratio <= 2.0) {
                    legal.add(height);
                }
            }
            assertThat(legal).as("width %d", width).isNotEmpty();
            int low = legal.get(0);
            int high = legal.get(legal.size() - 1);
            assertThat(legal).as("contiguous for width %d", width).hasSize(high - low + 1);
            assertThat(WorldSpec.minHeight(width)).as("min height for width %d", width).isEqualTo(low);
            assertThat(WorldSpec.maxHeight(width)).as("max height for width %d", width).isEqualTo(high);
            for (int height = 1; height <= 300; height++) {
                assertThat(WorldSpec.isLegalCanvas(width, height)).isEqualTo(legal.contains(height));
            }
        }
    }

    @Test
    void shapeSizeRangeMatchesTheSpecInExactDecimalArithmetic() {
        for (int width = 64; width <= 256; width++) {
            for (int height = WorldSpec.minHeight(width); height <= WorldSpec.maxHeight(width); height++) {
                BigDecimal m = BigDecimal.valueOf(Math.min(width, height));
                int low = Math.max(24,
                        m.multiply(new BigDecimal("0.35")).setScale(0, RoundingMode.CEILING).intValueExact());
                int high = m.multiply(new BigDecimal("0.5")).setScale(0, RoundingMode.FLOOR).intValueExact();
                assertThat(WorldSpec.minShapeSize(width, height)).as("%dx%d", width, height).isEqualTo(low);
                assertThat(WorldSpec.maxShapeSize(width, height)).as("%dx%d", width, height).isEqualTo(high);
                assertThat(low).isLessThanOrEqualTo(high);
            }
        }
    }

    @Test
    void articlesAndNumberWords() {
        assertThat(WorldSpec.articleFor("orange")).isEqualTo("an");
        for (ShapeColor color : ShapeColor.values()) {
            if (color != ShapeColor.ORANGE) {
                assertThat(WorldSpec.articleFor(color.word())).as(color.word()).isEqualTo("a");
            }
        }
        assertThat(WorldSpec.articleFor("white")).isEqualTo("a");
        assertThat(List.of(WorldSpec.numberWord(1), WorldSpec.numberWord(2), WorldSpec.numberWord(3)))
                .containsExactly("one", "two", "three");
        assertThatThrownBy(() -> WorldSpec.numberWord(4)).hasMessageContaining("4");
    }

    @Test
    void paletteIsTheSpecs() {
        assertThat(Background.GRAY.rgb()).isEqualTo(new Rgb(128, 128, 128));
        assertThat(ShapeColor.GREEN.rgb()).isEqualTo(new Rgb(40, 170, 70));
        assertThat(ShapeColor.ORANGE.rgb()).isEqualTo(new Rgb(245, 140, 30));
        assertThat(ShapeColor.PURPLE.rgb()).isEqualTo(new Rgb(140, 60, 180));
        assertThat(List.of(ShapeKind.values()).stream().map(ShapeKind::word))
                .containsExactly("circle", "square", "triangle", "cross");
    }
}
