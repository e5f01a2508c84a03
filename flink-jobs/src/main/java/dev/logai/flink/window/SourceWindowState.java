package dev.logai.flink.window;

import java.util.HashMap;
import java.util.Map;

/**
 * One (org, source)'s event-time clock and the windows it has not yet forgotten, as {@link
 * SourceWindows} keeps them in keyed state. A Flink POJO.
 *
 * <p>The clock is the source's own: {@link #newestEventTime} is the newest line it sent, and
 * {@link #watermark} (never moving back) is that minus the out-of-orderness, or later when the
 * source went quiet and wall-clock time moved it on. A window is complete once the watermark passed
 * its end, and forgotten once it passed its end plus the allowed lateness.
 */
public class SourceWindowState {
    /** Nothing seen yet. */
    public static final long NONE = Long.MIN_VALUE;

    /** Event time of the newest line of the source (epoch ms), or {@link #NONE}. */
    public long newestEventTime = NONE;
    /** The source's watermark (epoch ms), or {@link #NONE}: lines of windows ending at or before it are on time no more. */
    public long watermark = NONE;
    /**
     * Windows by start (epoch ms), open or complete ({@link WindowMetrics#complete}: emitted as such)
     * but still within the allowed lateness. Unordered; sort the keys to walk them in time order.
     */
    public Map<Long, WindowMetrics> windows = new HashMap<>();
    /** Lines later than the allowed lateness, per window start (the most recent {@link SourceWindows#MAX_LATE_WINDOWS}). */
    public Map<Long, Long> lateLines = new HashMap<>();

    public SourceWindowState() {}

    /** Whether the state holds nothing but the clock (so the source may leave the heap). */
    boolean idle() {
        return windows.isEmpty();
    }
}
