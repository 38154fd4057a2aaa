package ai.bellm.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The part of a degradation curve computed by one shard of the sweep; shards cover disjoint ranges of layers.
 *
 * @param id     names the shard in error messages (e.g. the job name)
 * @param points sorted by layers, without duplicates, not empty
 */
public record CurveShard(String id, List<CurvePoint> points) {

    public CurveShard {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("shard '" + id + "' has no points");
        }
        points = List.copyOf(points);
        CurvePoint.requireStrictlyIncreasing(points, "shard '" + id + "'");
    }

    public int firstLayers() {
        return points.get(0).layers();
    }

    public int lastLayers() {
        return points.get(points.size() - 1).layers();
    }

    /**
     * Joins shards, given in any order, into one curve sorted by layers. Fails if two shards' ranges
     * {@code [firstLayers, lastLayers]} overlap, which means the sweep was split wrongly or a shard was run twice.
     * Gaps between shards are allowed: a sweep may cover only part of the layers.
     */
    public static List<CurvePoint> merge(List<CurveShard> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("no shards to merge");
        }
        List<CurveShard> sorted = shards.stream().sorted(Comparator.comparingInt(CurveShard::firstLayers)).toList();
        List<CurvePoint> curve = new ArrayList<>(sorted.get(0).points());
        for (int i = 1; i < sorted.size(); i++) {
            CurveShard previous = sorted.get(i - 1);
            CurveShard next = sorted.get(i);
            if (next.firstLayers() <= previous.lastLayers()) {
                throw new IllegalArgumentException("shards overlap: '" + previous.id() + "' covers n=" + previous.range()
                        + " and '" + next.id() + "' covers n=" + next.range());
            }
            curve.addAll(next.points());
        }
        return List.copyOf(curve);
    }

    private String range() {
        return firstLayers() + ".." + lastLayers();
    }
}
