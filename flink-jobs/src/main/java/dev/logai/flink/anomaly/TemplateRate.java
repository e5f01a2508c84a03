package dev.logai.flink.anomaly;

/**
 * The usual lines per window of one template: an EWM that counts the windows it was absent from
 * as zeros without visiting them (the decay for k absent windows is applied on the next visit), so
 * only templates present in a window cost anything. Three numbers per template.
 */
public class TemplateRate {
    static final double ALPHA = 0.05;

    public double rate;
    public long firstWindow;
    public long lastWindow;

    public TemplateRate() {}

    public static TemplateRate startingAt(long window) {
        TemplateRate t = new TemplateRate();
        t.firstWindow = window;
        t.lastWindow = window - 1;
        return t;
    }

    /** The usual count for window number {@code window} (windows since the epoch). */
    public double expected(long window) {
        long absent = Math.max(0, window - lastWindow - 1);
        return rate * Math.pow(1 - ALPHA, absent);
    }

    /** Windows of history, counting absent ones. */
    public long age(long window) {
        return window - firstWindow;
    }

    /** Adds this window's count, clipped so one burst cannot make the next burst look usual. */
    public void update(long window, double count) {
        double expected = expected(window);
        double clipped = Math.min(count, 4 * expected + 20);
        rate = expected + Math.max(ALPHA, 1.0 / (age(window) + 1)) * (clipped - expected);
        lastWindow = window;
    }
}
