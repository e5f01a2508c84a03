package dev.logai.flink.window;

/** One service's lines and error lines in one window. */
public class ServiceCount {
    public long lines;
    public long errors;

    public ServiceCount() {}

    public ServiceCount merge(ServiceCount o) {
        lines += o.lines;
        errors += o.errors;
        return this;
    }

    public double errorRate() {
        return lines == 0 ? 0 : (double) errors / lines;
    }
}
