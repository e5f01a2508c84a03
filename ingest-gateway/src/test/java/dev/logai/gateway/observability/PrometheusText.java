package dev.logai.gateway.observability;

import java.util.LinkedHashMap;
import java.util.Map;

/** A scrape of {@code /actuator/prometheus} (text format): sample values by name and exact label set. */
final class PrometheusText {
    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final String text;

    PrometheusText(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    /** The value of {@code name{labels}} (labels as Prometheus prints them, sorted); fails naming what is there when absent. */
    double value(String name, String labels) {
        Double v = samples.get(name + "{" + labels + "}");
        if (v == null) {
            throw new AssertionError("no sample " + name + "{" + labels + "} in the scrape; samples of that name:\n"
                    + text.lines().filter(l -> l.startsWith(name)).reduce("", (a, b) -> a + b + "\n"));
        }
        return v;
    }

    /** As {@link #value}, 0 when the series does not exist yet. */
    double valueOrZero(String name, String labels) {
        return samples.getOrDefault(name + "{" + labels + "}", 0.0);
    }
}
