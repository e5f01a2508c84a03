package dev.logai.flink.anomaly;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Which per-service or per-template baselines of a source to forget: those not seen for more than
 * a number of windows, then, if more than a cap remain, the least recently seen (ties: the smaller
 * key, so a replay forgets the same ones). Pure, so the bound is tested without Flink.
 */
final class BaselinePruning {
    private BaselinePruning() {}

    /**
     * @param entries            the baselines (a {@code MapState}'s entries), read once, not modified
     * @param lastWindow         the window number an entry was last seen in
     * @param window             the current window number
     * @param forgetAfterWindows entries last seen more than this many windows ago go
     * @param cap                at most this many entries stay
     * @return the keys to remove, in no particular order
     */
    static <V> List<String> stale(
            Iterable<Map.Entry<String, V>> entries,
            ToLongFunction<V> lastWindow,
            long window,
            long forgetAfterWindows,
            int cap) {
        List<String> stale = new ArrayList<>();
        List<Map.Entry<String, Long>> kept = new ArrayList<>();
        for (Map.Entry<String, V> e : entries) {
            long last = lastWindow.applyAsLong(e.getValue());
            if (window - last > forgetAfterWindows) {
                stale.add(e.getKey());
            } else {
                kept.add(Map.entry(e.getKey(), last));
            }
        }
        if (kept.size() > cap) {
            kept.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
            kept.subList(0, kept.size() - cap).forEach(e -> stale.add(e.getKey()));
        }
        return stale;
    }
}
