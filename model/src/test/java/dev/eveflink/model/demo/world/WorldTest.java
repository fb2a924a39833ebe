package dev.eveflink.model.demo.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorldTest {

    @Test
    void sameSeedAndIndexGiveIdenticalBytesAndTruthInAnyOrder() {
        List<WorldSample> forward = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            forward.add(World.sample(99, i));
        }
        for (int i = 19; i >= 0; i--) {
            WorldSample again = World.sample(99, i);
            assertThat(again.image()).isEqualTo(forward.get(i).image());
            assertThat(again.truth()).isEqualTo(forward.get(i).truth());
            assertThat(again).isEqualTo(forward.get(i));
        }
    }

    @Test
    void differentSeedsAndIndicesGiveDifferentSamples() {
        int sameCaptions = 0;
        for (int i = 0; i < 50; i++) {
            WorldSample a = World.sample(1, i);
            WorldSample b = World.sample(2, i);
            assertThat(a.image()).isNotEqualTo(b.image());
            sameCaptions += a.truth().caption().equals(b.truth().caption()) ? 1 : 0;
            assertThat(World.sample(1, i + 1).image()).isNotEqualTo(a.image());
        }
        assertThat(sameCaptions).isLessThan(5);
    }

    @Test
    void encodingsAreHalfPngHalfJpegWithQualitiesInRange() {
        int jpeg = 0;
        int n = 2000;
        boolean[] qualities = new boolean[101];
        for (int i = 0; i < n; i++) {
            Encoding encoding = Encoding.sample(WorldRandom.stream(5, i, World.ENCODING_STREAM));
            if (encoding.format() == ImageFormat.JPEG) {
                jpeg++;
                assertThat(encoding.quality()).isBetween(85, 95);
                qualities[encoding.quality()] = true;
            }
        }
        assertThat(Math.abs(jpeg - n / 2.0)).isLessThan(5 * Math.sqrt(n * 0.25));
        for (int q = 85; q <= 95; q++) {
            assertThat(qualities[q]).as("quality %d drawn", q).isTrue();
        }
    }

    @Test
    void sampleBytesDecodeToTheSceneSize() {
        for (int i = 0; i < 30; i++) {
            WorldSample sample = World.sample(8, i);
            var image = PixelReading.decode(sample.image());
            assertThat(image.getWidth()).isEqualTo(sample.scene().width());
            assertThat(image.getHeight()).isEqualTo(sample.scene().height());
            assertThat(sample.fileName()).isEqualTo(String.format("%06d.%s", i,
                    sample.encoding().format() == ImageFormat.PNG ? "png" : "jpg"));
        }
    }
}
