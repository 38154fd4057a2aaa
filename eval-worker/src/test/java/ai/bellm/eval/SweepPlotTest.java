package ai.bellm.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.bellm.layers.LayerRange;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepPlotTest {

    @TempDir
    Path dir;

    private static SweepResult curve(Double... spearman) {
        List<LayerScore> layers = new ArrayList<>();
        for (int n = 1; n <= spearman.length; n++) {
            layers.add(LayerScore.average(n,
                    Map.of("dev", new TaskResult(spearman[n - 1], spearman[n - 1], 10, 20, 0, null))));
        }
        Settings settings = new Settings(null, "last", "{text}", 512, "f32");
        return SweepResult.of("SmolLM2-135M-Instruct.Q4_1.gguf", "stsb-dev", settings,
                new LayerRange(1, spearman.length), null, layers, null, 3.0);
    }

    @Test
    void writesAPngOfTheExpectedSize() throws IOException {
        Path png = dir.resolve("out/curve.png");

        SweepPlot.write(curve(50.0, 62.0, 70.0, 71.0, 70.5, 69.0, 45.0, 30.0, null, 12.0), png);

        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(SweepPlot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(SweepPlot.HEIGHT);
    }

    @Test
    void drawsTheCurveAndTheTurningPointInTheirColours() {
        BufferedImage image = SweepPlot.render(curve(50.0, 62.0, 70.0, 71.0, 70.5, 69.0, 45.0, 30.0));

        assertThat(countPixels(image, 0x1f77b4)).as("curve pixels").isGreaterThan(200);
        assertThat(countPixels(image, 0xd62728)).as("turning point pixels").isGreaterThan(100);
    }

    @Test
    void survivesDegenerateCurves() {
        assertThat(SweepPlot.render(curve(42.0)).getWidth()).isEqualTo(SweepPlot.WIDTH);
        assertThat(SweepPlot.render(curve(null, null)).getWidth()).isEqualTo(SweepPlot.WIDTH);
        assertThat(SweepPlot.render(curve(10.0, 10.0, 10.0)).getWidth()).isEqualTo(SweepPlot.WIDTH);
    }

    @Test
    void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(SweepPlot.niceStep(30, 15)).isEqualTo(2);
        assertThat(SweepPlot.niceStep(100, 6)).isEqualTo(20);
        assertThat(SweepPlot.niceStep(7, 6)).isEqualTo(2);
        assertThat(SweepPlot.niceStep(0.9, 6)).isCloseTo(0.2, within(1e-12));
    }

    private static int countPixels(BufferedImage image, int rgb) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    count++;
                }
            }
        }
        return count;
    }
}
