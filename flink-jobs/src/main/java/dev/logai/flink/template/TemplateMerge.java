package dev.logai.flink.template;

/**
 * A template of one (org, source) generalised into another: lines counted under {@link #fromId}
 * now belong to {@link #intoId}. Emitted by {@link MineTemplates} once per merge, in the order
 * merges happen, so a chain (A into B, then B into C) arrives as A→B before B→C; the sink and
 * {@code ./logai analyze} follow chains to the live template. Carries the live template's text and
 * time range, so its {@code pattern} row can be written before any of its windows is.
 */
public class TemplateMerge {
    public String orgId;
    public String sourceId;
    /** The generalised template's id (16 hex digits). */
    public String fromId;
    /**
     * The template it now lives in; null for an "unmerge": the template {@code fromId} was created
     * (again) and lives on its own, so an earlier merge of that id no longer holds (its text came
     * back after the template it had merged into was evicted).
     */
    public String intoId;

    public String intoText;
    /** Event time (epoch ms) of the first and last line of the template it now lives in. */
    public long firstTs;

    public long lastTs;

    public TemplateMerge() {}

    /** The merge of {@code from} into the template it now lives in ({@link Template#current()}). */
    public static TemplateMerge of(String orgId, String sourceId, Template from) {
        Template into = from.current();
        TemplateMerge m = new TemplateMerge();
        m.orgId = orgId;
        m.sourceId = sourceId;
        m.fromId = from.id();
        m.intoId = into.id();
        m.intoText = into.text();
        m.firstTs = into.firstSeen() == Long.MAX_VALUE ? from.firstSeen() : into.firstSeen();
        m.lastTs = Math.max(into.lastSeen(), from.lastSeen());
        return m;
    }

    /** {@code created} lives on its own from now on: any earlier merge of its id is void. */
    public static TemplateMerge unmerge(String orgId, String sourceId, Template created) {
        TemplateMerge m = new TemplateMerge();
        m.orgId = orgId;
        m.sourceId = sourceId;
        m.fromId = created.id();
        return m;
    }

    @Override
    public String toString() {
        return "TemplateMerge{" + orgId + "/" + sourceId + " " + fromId + " -> " + intoId + " " + intoText + "}";
    }
}
