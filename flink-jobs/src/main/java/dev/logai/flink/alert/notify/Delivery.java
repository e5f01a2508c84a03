package dev.logai.flink.alert.notify;

/** How sending one notification to one target went: recorded on the alert event, never dropped. */
public record Delivery(String channel, String target, boolean delivered, int attempts, String error) {
    static Delivery ok(String channel, String target, int attempts) {
        return new Delivery(channel, target, true, attempts, "");
    }

    static Delivery failed(String channel, String target, int attempts, String error) {
        return new Delivery(channel, target, false, attempts, error);
    }
}
