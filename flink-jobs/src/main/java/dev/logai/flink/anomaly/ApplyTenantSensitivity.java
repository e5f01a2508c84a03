package dev.logai.flink.anomaly;

import dev.logai.flink.window.WindowMetrics;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Stamps each window with the anomaly sensitivity its tenant set ({@code PUT /v1/anomaly-settings},
 * {@code PUT /v1/sources/{id}/anomaly-settings}), before {@link DetectAnomalies} judges it: the
 * source's own value, else its org's, else none (the deployment's settings apply).
 *
 * <p>In: {@link WindowMetrics}, and on the broadcast side every {@link SensitivityUpdate} of the
 * compacted topic, replayed from its start, kept in broadcast state (one entry per org or source
 * that set a value, a few bytes each). Out: the window, a copy with {@link WindowMetrics#sensitivity}
 * set when a value applies. A window judged before its setting arrived (right after a start) uses
 * the deployment's settings.
 */
public class ApplyTenantSensitivity extends BroadcastProcessFunction<WindowMetrics, SensitivityUpdate, WindowMetrics> {
    public static final MapStateDescriptor<String, String> SETTINGS =
            new MapStateDescriptor<>("tenant-anomaly-sensitivity", String.class, String.class);

    @Override
    public void processElement(WindowMetrics m, ReadOnlyContext ctx, Collector<WindowMetrics> out) throws Exception {
        ReadOnlyBroadcastState<String, String> settings = ctx.getBroadcastState(SETTINGS);
        String level = settings.get(m.orgId + "/" + m.sourceId);
        if (level == null) {
            level = settings.get(m.orgId);
        }
        if (level == null) {
            out.collect(m);
            return;
        }
        WindowMetrics stamped = m.emitted(m.complete);
        stamped.sensitivity = level;
        out.collect(stamped);
    }

    @Override
    public void processBroadcastElement(SensitivityUpdate update, Context ctx, Collector<WindowMetrics> out)
            throws Exception {
        BroadcastState<String, String> settings = ctx.getBroadcastState(SETTINGS);
        if (update.sensitivity == null) {
            settings.remove(update.key);
        } else {
            settings.put(update.key, update.sensitivity);
        }
    }
}
