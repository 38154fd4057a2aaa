package ai.bellm.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * The degradation curve as a PNG, after Figure 4 of the BeLLM paper: x = number of uni-directional (causal) layers,
 * y = Spearman ×100, a line with markers (broken where a score is undefined), the turning point as a dashed vertical
 * line with a label.
 */
final class SweepPlot {

    static final int WIDTH = 800;
    static final int HEIGHT = 500;

    private static final int LEFT = 75;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 60;
    private static final Color LINE = new Color(31, 119, 180);
    private static final Color TURNING = new Color(214, 39, 40);
    private static final Color GRID = new Color(225, 225, 225);

    private final SweepResult result;
    private final Graphics2D g;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;

    private SweepPlot(SweepResult result, Graphics2D g) {
        this.result = result;
        this.g = g;
        List<LayerScore> layers = result.layers();
        // pad by half a layer so the end markers do not sit on the axes
        xMin = layers.get(0).n() - 0.5;
        xMax = layers.get(layers.size() - 1).n() + 0.5;
        double[] ys = layers.stream().map(LayerScore::spearman).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).toArray();
        double lo = ys.length == 0 ? 0 : Arrays.stream(ys).min().orElseThrow();
        double hi = ys.length == 0 ? 100 : Arrays.stream(ys).max().orElseThrow();
        double pad = Math.max(1, (hi - lo) * 0.08);
        double step = niceStep(hi - lo + 2 * pad, 6);
        yMin = Math.floor((lo - pad) / step) * step;
        yMax = Math.ceil((hi + pad) / step) * step;
    }

    static void write(SweepResult result, Path png) throws IOException {
        Path target = png.toAbsolutePath();
        Files.createDirectories(target.getParent());
        ImageIO.write(render(result), "png", target.toFile());
    }

    static BufferedImage render(SweepResult result) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            SweepPlot plot = new SweepPlot(result, g);
            plot.drawAxes();
            plot.drawTurningPoint();
            plot.drawCurve();
            plot.drawTitles();
        } finally {
            g.dispose();
        }
        return image;
    }

    private double px(double n) {
        return LEFT + (n - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT);
    }

    private double py(double score) {
        return HEIGHT - BOTTOM - (score - yMin) / (yMax - yMin) * (HEIGHT - TOP - BOTTOM);
    }

    private void drawAxes() {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        double yStep = niceStep(yMax - yMin, 6);
        for (double y = yMin; y <= yMax + yStep / 1e6; y += yStep) {
            g.setColor(GRID);
            g.draw(new Line2D.Double(LEFT, py(y), WIDTH - RIGHT, py(y)));
            g.setColor(Color.BLACK);
            g.draw(new Line2D.Double(LEFT - 5, py(y), LEFT, py(y)));
            String label = formatTick(y, yStep);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), (float) py(y) + fm.getAscent() / 2f - 1);
        }
        int first = (int) Math.ceil(xMin);
        int last = (int) Math.floor(xMax);
        int xStep = (int) Math.max(1, niceStep(last - first, 15));
        // a tick for every layer count, a label on multiples of the step
        for (int n = first; n <= last; n++) {
            boolean labelled = n % xStep == 0;
            g.draw(new Line2D.Double(px(n), HEIGHT - BOTTOM, px(n), HEIGHT - BOTTOM + (labelled ? 5 : 3)));
            if (labelled) {
                String label = Integer.toString(n);
                g.drawString(label, (float) px(n) - fm.stringWidth(label) / 2f, HEIGHT - BOTTOM + 8 + fm.getAscent());
            }
        }
        g.setStroke(new BasicStroke(1.2f));
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    }

    private void drawCurve() {
        g.setColor(LINE);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D.Double line = new Path2D.Double();
        boolean penDown = false;
        for (LayerScore layer : result.layers()) {
            if (layer.spearman() == null) {
                penDown = false;
            } else if (penDown) {
                line.lineTo(px(layer.n()), py(layer.spearman()));
            } else {
                line.moveTo(px(layer.n()), py(layer.spearman()));
                penDown = true;
            }
        }
        g.draw(line);
        double r = result.layers().size() > 40 ? 2.5 : 4;
        for (LayerScore layer : result.layers()) {
            if (layer.spearman() != null) {
                g.fill(new Ellipse2D.Double(px(layer.n()) - r, py(layer.spearman()) - r, 2 * r, 2 * r));
            }
        }
    }

    private void drawTurningPoint() {
        if (result.turningPoint() == null) {
            return;
        }
        double x = px(result.turningPoint());
        g.setColor(TURNING);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f},
                0f));
        g.draw(new Line2D.Double(x, TOP, x, HEIGHT - BOTTOM));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        String label = "turning point n=" + result.turningPoint()
                + (result.turningPointProvisional() ? " (provisional)" : "");
        FontMetrics fm = g.getFontMetrics();
        // label on the side of the line with more room
        float lx = x + 6 + fm.stringWidth(label) <= WIDTH - RIGHT ? (float) x + 6 : (float) x - 6 - fm.stringWidth(label);
        g.drawString(label, lx, TOP + 16);
    }

    private void drawTitles() {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        centered("Degradation sweep: " + result.model(), WIDTH / 2f, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        centered("STS task: " + result.task(), WIDTH / 2f, 44);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        centered("Number of uni-directional layers", LEFT + (WIDTH - LEFT - RIGHT) / 2f, HEIGHT - 14);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centered("Spearman \u00d7 100", -(TOP + (HEIGHT - TOP - BOTTOM) / 2f), 20);
        g.setTransform(saved);
    }

    private void centered(String text, float x, float baseline) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2f, baseline);
    }

    /** A step of 1, 2 or 5 times a power of ten that cuts {@code span} into at most about {@code count} parts. */
    static double niceStep(double span, int count) {
        double raw = Math.max(span, 1e-9) / count;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String formatTick(double value, double step) {
        return step >= 1 ? String.format("%.0f", value) : String.format("%.1f", value);
    }
}
