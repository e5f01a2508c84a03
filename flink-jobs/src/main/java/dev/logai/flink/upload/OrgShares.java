package dev.logai.flink.upload;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Fair shares of one task's upload reading among orgs: the next step goes to an org that has read
 * the fewest bytes among the orgs reading uploads right now (within one step's slack), however many
 * sources or uploads each has. So an org uploading to ten sources at once gets the same share as an
 * org uploading one file. An org that starts reading joins at the current minimum: no credit for
 * having been idle.
 *
 * <p>Per task and in memory only: after a restore it is rebuilt as the sources' steps come round.
 * Not thread-safe (the task's thread only).
 */
final class OrgShares {
    private final long slackBytes;
    /** Bytes read per org with an upload being read; only those orgs. */
    private final Map<String, Long> readBytes = new HashMap<>();
    /** The sources (org/source keys) with an upload to read, per org, in the order they asked. */
    private final Map<String, Set<String>> reading = new HashMap<>();

    private final java.util.function.ToIntFunction<String> capOf;

    /**
     * @param slackBytes how far ahead of the least-served org an org may be and still step (one step)
     * @param capOf most uploads of an org read at once (its plan's {@code concurrent_uploads})
     */
    OrgShares(long slackBytes, java.util.function.ToIntFunction<String> capOf) {
        this.slackBytes = slackBytes;
        this.capOf = capOf;
    }

    /**
     * Whether {@code source} of {@code org} is among the first of the org's cap of sources reading
     * (earlier askers first); the others wait until one finishes. Joins the source to the org's
     * readers if it is not one yet.
     */
    boolean admitted(String org, String source) {
        Set<String> sources = reading.computeIfAbsent(org, o -> new java.util.LinkedHashSet<>());
        if (sources.add(source) && !readBytes.containsKey(org)) {
            readBytes.put(org, least(org));
        }
        int cap = Math.max(1, capOf.applyAsInt(org));
        int i = 0;
        for (String s : sources) {
            if (s.equals(source)) return i < cap;
            if (++i >= cap) return false;
        }
        return false;
    }

    /**
     * Whether {@code source} of {@code org} may read its next step now; joins the org to the
     * readers if it is not one yet.
     */
    boolean mayStep(String org, String source) {
        if (reading.computeIfAbsent(org, o -> new java.util.LinkedHashSet<>()).add(source)
                && !readBytes.containsKey(org)) {
            readBytes.put(org, least(org));
        }
        return readBytes.get(org) <= least(org) + slackBytes;
    }

    /** {@code source} of {@code org} read {@code bytes} in a step. */
    void stepped(String org, long bytes) {
        readBytes.merge(org, bytes, Long::sum);
    }

    /** {@code source} of {@code org} has no upload to read now. */
    void finished(String org, String source) {
        Set<String> sources = reading.get(org);
        if (sources != null && sources.remove(source) && sources.isEmpty()) {
            reading.remove(org);
            readBytes.remove(org);
        }
    }

    /** Orgs reading now. */
    int orgs() {
        return reading.size();
    }

    private long least(String except) {
        long least = Long.MAX_VALUE;
        for (Map.Entry<String, Long> e : readBytes.entrySet()) {
            if (!e.getKey().equals(except)) least = Math.min(least, e.getValue());
        }
        return least == Long.MAX_VALUE ? readBytes.getOrDefault(except, 0L) : least;
    }
}
