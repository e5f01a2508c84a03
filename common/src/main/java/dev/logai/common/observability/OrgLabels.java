package dev.logai.common.observability;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code org} label of per-org meters, with a bound on how many orgs get a series of their own:
 * the first {@code maxOrgs} orgs a process meets keep their id as the label, every later org shares
 * {@link #OTHER}. So a meter labelled through this has at most {@code maxOrgs + 2} series per
 * process, however many tenants there are (Prometheus' cost is per series). Restarting the process
 * starts the count again; the busiest orgs are usually the first ones met.
 */
public final class OrgLabels {
    /** The label shared by the orgs past the bound. */
    public static final String OTHER = "other";
    /** The label of a request without an org (not authenticated). */
    public static final String NONE = "none";

    private final int maxOrgs;
    private final Set<String> labelled = ConcurrentHashMap.newKeySet();
    private final AtomicInteger slots = new AtomicInteger();

    /** @param maxOrgs how many orgs get a label of their own (0: none, all share {@link #OTHER}) */
    public OrgLabels(int maxOrgs) {
        if (maxOrgs < 0) {
            throw new IllegalArgumentException("the per-org series bound must be 0 or more, was " + maxOrgs);
        }
        this.maxOrgs = maxOrgs;
    }

    /** The label for {@code orgId}: the id itself while the bound allows, else {@link #OTHER}; {@link #NONE} for null. */
    public String of(String orgId) {
        if (orgId == null) {
            return NONE;
        }
        if (labelled.contains(orgId)) {
            return orgId;
        }
        if (slots.incrementAndGet() <= maxOrgs) {
            if (!labelled.add(orgId)) {
                slots.decrementAndGet(); // another thread labelled it first: give the slot back
            }
            return orgId;
        }
        slots.decrementAndGet();
        return OTHER;
    }

    /** How many orgs have a label of their own now (at most the bound). */
    public int labelledOrgs() {
        return labelled.size();
    }
}
