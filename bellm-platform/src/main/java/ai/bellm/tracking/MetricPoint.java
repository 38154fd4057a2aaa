package ai.bellm.tracking;

/** One value of a metric; {@code timestamp} in epoch milliseconds. */
public record MetricPoint(String key, double value, long step, long timestamp) {
}
