package dev.logai.flink.template;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The online template miner of one (org, source): a Drain-family miner with three levels.
 *
 * <ol>
 *   <li><b>Exact</b> — the masked line ({@link TokenMasker}) looked up in a hash map: the hit path,
 *       one map lookup per line for lines of a known shape.</li>
 *   <li><b>Match</b> — otherwise a template whose text is the masked line (a hash lookup), or one
 *       of the few templates with merged variables of the same token count and first token, whose
 *       merged positions accept the line's tokens.</li>
 *   <li><b>Create and merge</b> — otherwise the line is a new template. Then its siblings (same
 *       length, different in exactly one position; found through a hash of the other tokens, not by
 *       scanning) are counted per position: once
 *       {@value #MERGE_VALUES} different values were seen in one position, that position is proved
 *       variable and they merge into one template with {@code <*>} there. Two values are not enough:
 *       "from RUNNING to SUCCEEDED" and "from RUNNING to FAILED" are different events. The first
 *       token and templates with fewer than two other constant words never merge, so short
 *       messages ("boot (command <*>)", "halt (command <*>)") keep their meaning.</li>
 * </ol>
 *
 * Hard limits keep hostile input bounded: at most {@link Limits#maxTemplates} live templates
 * (the rarest tenth is evicted when full; an evicted template that comes back gets its old id,
 * since ids are text hashes), at most {@link Limits#maxTokens} tokens per template, and a bounded
 * exact-match cache. Not thread-safe: one instance per key, used by one task.
 */
public final class TemplateMiner {
    static final int MERGE_VALUES = 3;
    /** Distinct plain-word values a position needs before it may be a variable (see {@link #provedVariable}). */
    static final int WORD_VALUES = 5;

    static final int MIN_OTHER_WORDS = 2;
    /** The most lines, and the longest span (ms), of a value that was one event ({@link #seenOnce(List)}). */
    static final int ONE_EVENT_LINES = 8;

    static final long ONE_EVENT_MS = 10_000;
    /** The largest group whose values are checked for one event each (a sort per new template). */
    static final int ONE_EVENT_GROUP = 256;
    /** Spanning templates tried per token count for one unmatched line: bounds a hostile source's cost. */
    static final int MAX_SPAN_TRIES = 64;

    public record Limits(int maxTemplates, int maxTokens, int exactCacheSize, long warmupLines, long warmupMs)
            implements java.io.Serializable {
        public static final Limits DEFAULT = new Limits(5_000, 128, 20_000, 1_000, 10 * 60_000L);
    }

    /** The outcome of one line. */
    public record Match(Template template, boolean created, boolean isNew) {}

    private final Limits limits;
    private final Map<String, Template> exact;
    /** Per (token count, first token): only the templates with merged variables, the ones a scan can match. */
    private final Map<String, List<Template>> buckets = new HashMap<>();
    /** Skeleton hash (all tokens but one position) → templates: finds siblings without scanning. */
    private final Map<Long, List<Template>> skeletons = new HashMap<>();
    /** Token count → templates whose first token is a merged variable: any first token may match. */
    private final Map<Integer, List<Template>> wildcards = new HashMap<>();
    /** Token count → templates with a whole-token merged variable, which may span several tokens or none. */
    private final Map<Integer, List<Template>> spanning = new HashMap<>();

    private final Map<String, Template> byId = new HashMap<>();
    private final StringBuilder masked = new StringBuilder(256);
    private int live;
    private long linesSeen;
    private long firstTs = Long.MIN_VALUE;
    private boolean warm;

    // Changes since the last drain, for keyed state.
    private final Set<Template> dirty = new LinkedHashSet<>();
    private final List<String> removed = new ArrayList<>();
    private final List<Template> mergedAway = new ArrayList<>();

    public TemplateMiner() {
        this(Limits.DEFAULT);
    }

    public TemplateMiner(Limits limits) {
        this.limits = limits;
        int cacheSize = limits.exactCacheSize();
        this.exact = new LinkedHashMap<>(Math.min(cacheSize, 1 << 16) * 2, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Template> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** Mines one message (already reduced to what should be mined, see {@link MiningInput}). */
    public Match match(CharSequence message, long ts) {
        masked.setLength(0);
        TokenMasker.mask(message, limits.maxTokens(), masked);
        String key = masked.toString();
        countLine(ts);
        Template hit = exact.get(key);
        if (hit != null) {
            Template t = hit.current();
            if (!t.evicted) {
                if (t != hit) exact.put(key, t);
                seen(t, ts);
                return new Match(t, false, false);
            }
            exact.remove(key);
        }
        String[] tokens = key.isEmpty() ? new String[0] : key.split(" ", -1);
        // A template without merged variables has exactly the masked line as its text.
        Template same = byId.get(TemplateIds.of(key));
        if (same != null && same.text.equals(key)) {
            exact.put(key, same);
            seen(same, ts);
            return new Match(same, false, false);
        }
        Template found = scan(buckets.get(bucketKey(tokens)), tokens);
        if (found == null && !wildcards.isEmpty()) found = scan(wildcards.get(tokens.length), tokens);
        if (found == null && !spanning.isEmpty()) found = spanMatch(tokens);
        if (found != null) {
            exact.put(key, found);
            seen(found, ts);
            return new Match(found, false, false);
        }
        Template created = new Template(tokens, new String[tokens.length], new String[tokens.length]);
        created.firstSeen = ts;
        add(created);
        exact.put(key, created);
        seen(created, ts);
        Template result = mergeSiblings(created).current();
        boolean brandNew = result == created;
        if (live > limits.maxTemplates()) evictRarest(result);
        return new Match(result, brandNew, brandNew && warm);
    }

    private void countLine(long ts) {
        linesSeen++;
        if (firstTs == Long.MIN_VALUE) firstTs = ts;
        if (!warm && (linesSeen > limits.warmupLines() || ts - firstTs >= limits.warmupMs())) warm = true;
    }

    private void seen(Template t, long ts) {
        t.count++;
        if (ts > t.lastSeen) t.lastSeen = ts;
        if (t.count >= t.persistAtCount) {
            // Counts reach state at powers of two: O(log n) writes per template, enough for eviction.
            t.persistAtCount = Math.max(2, t.count * 2);
            dirty.add(t);
        }
    }

    private static Template scan(List<Template> bucket, String[] tokens) {
        if (bucket == null) return null;
        for (Template t : bucket) {
            if (t.matches(tokens)) return t;
        }
        return null;
    }

    /**
     * A template whose whole-token variables, standing for 0 to {@value Template#MAX_SPAN} + 1 tokens,
     * accept the line: "Invalid user john smith from <*>" and "Invalid user from <*>" are lines of
     * "Invalid user <*> from <*>". Only templates with such a variable are tried, by token count.
     */
    private Template spanMatch(String[] tokens) {
        for (int m = tokens.length - Template.MAX_SPAN; m <= tokens.length + 1; m++) {
            if (m == tokens.length) continue;
            List<Template> sized = spanning.get(m);
            if (sized == null) continue;
            // Bounded work per line: the most recently made spanning templates of that length first.
            for (int i = sized.size() - 1, tried = 0; i >= 0 && tried < MAX_SPAN_TRIES; i--, tried++) {
                Template t = sized.get(i);
                if (t.spanMatches(tokens)) return t;
            }
        }
        return null;
    }

    private static String bucketKey(String[] tokens) {
        return tokens.length + " " + (tokens.length == 0 ? "" : tokens[0]);
    }

    private void add(Template t) {
        index(t);
        live++;
        dirty.add(t);
    }

    private void index(Template t) {
        if (firstIsVariable(t))
            wildcards.computeIfAbsent(t.tokens.length, k -> new ArrayList<>(4)).add(t);
        else if (hasMergedVariable(t))
            buckets.computeIfAbsent(bucketKey(t.tokens), k -> new ArrayList<>(4))
                    .add(t);
        if (t.canSpan())
            spanning.computeIfAbsent(t.tokens.length, k -> new ArrayList<>(4)).add(t);
        byId.put(t.id, t);
        long[] keys = skeletonKeys(t);
        for (long k : keys) {
            if (k != 0) skeletons.computeIfAbsent(k, x -> new ArrayList<>(2)).add(t);
        }
    }

    private static boolean firstIsVariable(Template t) {
        return t.tokens.length > 0 && t.prefix[0] != null;
    }

    private static boolean hasMergedVariable(Template t) {
        for (String p : t.prefix) if (p != null) return true;
        return false;
    }

    /**
     * Per position p that may become variable: a hash of the token count and every token except
     * the one at p (0 where p may not merge). Templates sharing a key differ at most at p.
     */
    static long[] skeletonKeys(Template t) {
        if (t.skeleton == null) t.skeleton = computeSkeletonKeys(t); // tokens never change: once per template
        return t.skeleton;
    }

    private static long[] computeSkeletonKeys(Template t) {
        int n = t.tokens.length;
        long[] keys = new long[n];
        int words = 0;
        for (int i = 0; i < n; i++) if (t.isWord(i)) words++;
        if (words - 1 < MIN_OTHER_WORDS) return keys;
        long[] tokenHash = new long[n];
        for (int i = 0; i < n; i++) {
            long h = t.tokens[i].hashCode() * 0x9E3779B97F4A7C15L + (t.prefix[i] == null ? 0 : 0x51L);
            tokenHash[i] = h ^ (h >>> 29);
        }
        long[] before = new long[n + 1];
        for (int i = 0; i < n; i++) before[i + 1] = before[i] * 0x100000001B3L + tokenHash[i];
        long[] after = new long[n + 1];
        for (int i = n - 1; i >= 0; i--) after[i] = after[i + 1] * 0xC2B2AE3D27D4EB4FL + tokenHash[i];
        for (int p = 0; p < n; p++) {
            if (!t.isWord(p)) continue;
            long k = (before[p] * 31 + after[p + 1]) * 0x9E3779B97F4A7C15L + p * 0x632BE59BD9B4E019L + n;
            keys[p] = k == 0 ? 1 : k;
        }
        return keys;
    }

    private void detach(Template t) {
        if (firstIsVariable(t)) {
            List<Template> any = wildcards.get(t.tokens.length);
            if (any != null) {
                any.remove(t);
                if (any.isEmpty()) wildcards.remove(t.tokens.length);
            }
        } else {
            List<Template> bucket = buckets.get(bucketKey(t.tokens));
            if (bucket != null) {
                bucket.remove(t);
                if (bucket.isEmpty()) buckets.remove(bucketKey(t.tokens));
            }
        }
        List<Template> sized = t.canSpan() ? spanning.get(t.tokens.length) : null;
        if (sized != null) {
            sized.remove(t);
            if (sized.isEmpty()) spanning.remove(t.tokens.length);
        }
        for (long k : skeletonKeys(t)) {
            List<Template> siblings = k == 0 ? null : skeletons.get(k);
            if (siblings != null) {
                siblings.remove(t);
                if (siblings.isEmpty()) skeletons.remove(k);
            }
        }
        byId.remove(t.id);
        live--;
        dirty.remove(t);
        removed.add(t.id);
    }

    /** Merges {@code t} with its siblings where a position proved variable; returns the survivor. */
    private Template mergeSiblings(Template t) {
        long[] keys = skeletonKeys(t);
        for (int p = 0; p < keys.length; p++) {
            List<Template> candidates = keys[p] == 0 ? null : skeletons.get(keys[p]);
            if (candidates == null || candidates.size() < MERGE_VALUES) continue;
            List<Template> group = new ArrayList<>(candidates.size());
            for (Template s : candidates) {
                if (s == t || differsOnlyAt(t, s, p)) group.add(s); // a hash collision fails the check
            }
            if (!provedVariable(group, p)) continue;
            return mergeAt(group, p);
        }
        return t;
    }

    /**
     * Whether the values a position took in {@code group} (templates equal everywhere else) show it
     * is a variable. At least {@value #MERGE_VALUES} different values are needed, because two are
     * often two events ("to SUCCEEDED", "to FAILED"). Then the kind of value decides how much more
     * evidence is needed:
     *
     * <ul>
     *   <li>Verb forms ({@code Started}, {@code Paused}, {@code closing}) name states and actions, the
     *       meaning of the line: the position becomes variable only after {@value #WORD_VALUES}
     *       different ones of which at least half were seen once ({@link #seenOnce(List)}). A closed set of states keeps
     *       recurring with its own counts ("VM Started / Paused / Resumed / Stopped" stay four
     *       templates); the values of a variable keep being new.</li>
     *   <li>Names with digits ({@code eth0}, {@code ee0}, {@code tty2}) are devices and protocols: a
     *       few that each keep recurring stay constant; variable once at least half were seen once
     *       (as one event: {@link #seenOnce(List)}).</li>
     *   <li>Anything else (user names, program names, ids the masker did not catch): variable.</li>
     * </ul>
     */
    static boolean provedVariable(List<Template> group, int p) {
        int values = group.size();
        if (values < MERGE_VALUES) return false;
        // The values without the punctuation they share: "root" of "user=root", "Started" of "(Started)".
        String[] ends = sharedEnds(group, p);
        String pre = ends[0], suf = ends[1];
        int once = 0, verbs = 0, named = 0, words = 0;
        for (Template g : group) {
            if (g.count <= 1) once++;
            String token = g.tokens[p];
            String value = token.substring(pre.length(), token.length() - suf.length());
            if (isVerbForm(value)) verbs++;
            else if (isNameWithDigits(value)) named++;
            else if (plainWordEnd(value) >= 2) words++;
        }
        // Only when the lines alone say "recurring", and for groups of at most ONE_EVENT_GROUP: the
        // sweep sorts the group, and a hostile source keeping a position's values apart must not
        // make each new line cost a sort of thousands.
        if (once * 2 < values && values <= ONE_EVENT_GROUP) once = seenOnce(group);
        boolean recurring = once * 2 < values;
        if (verbs * 2 >= values) return values >= WORD_VALUES && !recurring;
        if (named + words == values) return !recurring;
        return true;
    }

    /**
     * How many of a position's values were one event each: seen once, or at most {@value
     * #ONE_EVENT_LINES} times within {@value #ONE_EVENT_MS} ms while no other value of the position
     * was seen — a failure that its retries log again, line for line ("SMS provider returned 502 for
     * user bob602" three times in a second, then the next user's). Counted by lines alone, each
     * user's retries made the user a recurring name, like {@code eth0}, and every failure of a new
     * user was a new template (a generated source with retried errors: 1,295 "new error template"
     * anomalies in 72 hours). Devices logged in turn ({@code eth0}, {@code eth1}, {@code eth0}, …)
     * overlap, and stay recurring. One sort and sweep of the values by their first line: a value
     * overlaps another if one that began before it was last seen at or after its start, or the next
     * to begin began by its end.
     *
     * @param group templates equal everywhere but the position, at least one
     */
    static int seenOnce(List<Template> group) {
        List<Template> byStart = new ArrayList<>(group);
        byStart.sort(Comparator.comparingLong(t -> t.firstSeen));
        int once = 0;
        long latestEnd = Long.MIN_VALUE;
        for (int i = 0; i < byStart.size(); i++) {
            Template g = byStart.get(i);
            long span = g.lastSeen - g.firstSeen; // negative when a time was unknown: not one event
            boolean alone =
                    latestEnd < g.firstSeen && (i + 1 == byStart.size() || byStart.get(i + 1).firstSeen > g.lastSeen);
            if (g.count <= 1 || (g.count <= ONE_EVENT_LINES && span >= 0 && span <= ONE_EVENT_MS && alone)) {
                once++;
            }
            latestEnd = Math.max(latestEnd, g.lastSeen);
        }
        return once;
    }

    /** A plain word ending in "ed" or "ing" ({@code Started}, {@code closing}): a state or an action. */
    static boolean isVerbForm(String token) {
        int end = plainWordEnd(token);
        if (end < 4) return false;
        String w = token.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        return w.endsWith("ed") || w.endsWith("ing");
    }

    /** Letters then digits, or letters with digits inside ({@code eth0}, {@code scip0}, {@code ssh2}). */
    static boolean isNameWithDigits(String token) {
        boolean letter = false, digit = false;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (Character.isLetter(c)) letter = true;
            else if (c >= '0' && c <= '9') digit = true;
            else if (c != '_' && c != '-') return false;
        }
        return letter && digit && Character.isLetter(token.charAt(0));
    }

    /** The length of the word before trailing {@code . , ; : !}, or -1 unless it is letters only. */
    static int plainWordEnd(String token) {
        int end = token.length();
        while (end > 0 && ".,;:!".indexOf(token.charAt(end - 1)) >= 0) end--;
        for (int i = 0; i < end; i++) {
            if (!Character.isLetter(token.charAt(i))) return -1;
        }
        return end;
    }

    private static boolean differsOnlyAt(Template a, Template b, int p) {
        if (a.tokens.length != b.tokens.length || !b.isWord(p) || a.tokens[p].equals(b.tokens[p])) return false;
        for (int i = 0; i < a.tokens.length; i++) {
            if (i == p) continue;
            if (!a.tokens[i].equals(b.tokens[i]) || !java.util.Objects.equals(a.prefix[i], b.prefix[i])) return false;
        }
        return true;
    }

    private Template mergeAt(List<Template> group, int p) {
        Template first = group.get(0);
        int n = first.tokens.length;
        String[] tokens = first.tokens.clone();
        String[] prefix = first.prefix.clone();
        String[] suffix = first.suffix.clone();
        String[] ends = sharedEnds(group, p);
        String pre = ends[0], suf = ends[1];
        prefix[p] = pre;
        suffix[p] = suf;
        tokens[p] = pre + TokenMasker.VAR + suf;
        Template merged = new Template(tokens, prefix, suffix);
        Template target = byId.get(merged.id);
        if (target == null) {
            target = merged;
            target.firstSeen = Long.MAX_VALUE;
            add(target);
        }
        for (Template g : group) {
            if (g != target) generaliseInto(g, target);
        }
        if (target.canSpan()) absorbSpanned(target);
        dirty.add(target);
        assert n == target.tokens.length;
        // The generalised template may itself now complete a group at another position.
        return mergeSiblings(target);
    }

    /**
     * Templates of other token counts that are lines of {@code target} once its variables may span
     * several tokens or none ("Invalid user git user from <*>" into "Invalid user <*> from <*>"):
     * they generalise into it, as siblings do. Runs when a spanning template is made, so lines seen
     * before the generalisation follow it.
     */
    private void absorbSpanned(Template target) {
        int m = target.tokens.length;
        List<Template> absorbed = null;
        for (Template t : byId.values()) {
            int n = t.tokens.length;
            if (n == m || n < m - 1 || n > m + Template.MAX_SPAN || t == target) continue;
            if (target.spanMatches(t.tokens)) {
                if (absorbed == null) absorbed = new ArrayList<>(4);
                absorbed.add(t);
            }
        }
        if (absorbed != null) absorbed.forEach(t -> generaliseInto(t, target));
    }

    /** {@code from} lives in {@code target} from now on: its counts and time range move there. */
    private void generaliseInto(Template from, Template target) {
        detach(from);
        from.mergedInto = target;
        mergedAway.add(from);
        target.count += from.count;
        target.firstSeen = Math.min(target.firstSeen, from.firstSeen);
        target.lastSeen = Math.max(target.lastSeen, from.lastSeen);
    }

    /**
     * The constant start and end the group's values at {@code p} share, each cut back to punctuation
     * ({@code "rhost="} and {@code ""} of {@code rhost=zummit.com}, {@code rhost=foo}); the end is
     * dropped when the two would overlap in the shortest value. Returns {@code {prefix, suffix}}.
     */
    private static String[] sharedEnds(List<Template> group, int p) {
        String pre = null, suf = null;
        int shortest = Integer.MAX_VALUE;
        for (Template g : group) {
            String v = g.tokens[p];
            pre = pre == null ? v : commonPrefix(pre, v);
            suf = suf == null ? v : commonSuffix(suf, v);
            shortest = Math.min(shortest, v.length());
        }
        pre = cutPrefixToDelimiter(pre);
        suf = cutSuffixToDelimiter(suf);
        return new String[] {pre, pre.length() + suf.length() > shortest ? "" : suf};
    }

    private static String commonPrefix(String a, String b) {
        int i = 0, n = Math.min(a.length(), b.length());
        while (i < n && a.charAt(i) == b.charAt(i)) i++;
        return a.substring(0, i);
    }

    private static String commonSuffix(String a, String b) {
        int i = 0, n = Math.min(a.length(), b.length());
        while (i < n && a.charAt(a.length() - 1 - i) == b.charAt(b.length() - 1 - i)) i++;
        return a.substring(a.length() - i);
    }

    /** "rhost=" of "rhost=zummit.com" and "rhost=foo": a shared start counts only up to punctuation. */
    private static String cutPrefixToDelimiter(String pre) {
        int i = pre.length();
        while (i > 0 && !TokenMasker.isDelimiter(pre.charAt(i - 1))) i--;
        return pre.substring(0, i);
    }

    private static String cutSuffixToDelimiter(String suf) {
        int j = 0;
        while (j < suf.length() && !TokenMasker.isDelimiter(suf.charAt(j))) j++;
        return suf.substring(j);
    }

    /** Evicts the rarest tenth (least count, then least recent), never {@code keep}. */
    private void evictRarest(Template keep) {
        List<Template> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparingLong((Template t) -> t.count).thenComparingLong(t -> t.lastSeen));
        int toEvict = Math.max(1, limits.maxTemplates() / 10);
        for (Template t : all) {
            if (toEvict == 0) break;
            if (t == keep) continue;
            detach(t);
            t.evicted = true;
            toEvict--;
        }
        exact.values().removeIf(t -> t.current().evicted);
    }

    // ---- parameters --------------------------------------------------------------------------

    /** The variable parts of {@code message} under {@code template}: one value per variable token. */
    public static List<String> parameters(Template template, CharSequence message) {
        String[] raw = message.toString().trim().split("\\s+");
        List<String> values = new ArrayList<>();
        int n = Math.min(raw.length, template.tokens.length);
        for (int i = 0; i < n; i++) {
            String tok = template.tokens[i];
            int var = tok.indexOf(TokenMasker.VAR);
            if (var < 0) continue;
            if (i == template.tokens.length - 1 && raw.length > template.tokens.length) {
                values.add(String.join(" ", java.util.Arrays.copyOfRange(raw, i, raw.length)));
                break;
            }
            String pre = tok.substring(0, var);
            String suf = tok.substring(var + TokenMasker.VAR.length());
            String v = raw[i];
            if (v.startsWith(pre) && v.endsWith(suf) && v.length() >= pre.length() + suf.length()) {
                v = v.substring(pre.length(), v.length() - suf.length());
            }
            values.add(v);
        }
        return values;
    }

    // ---- inspection --------------------------------------------------------------------------

    public int size() {
        return live;
    }

    public long linesSeen() {
        return linesSeen;
    }

    public boolean isWarm() {
        return warm;
    }

    public List<Template> templates() {
        return new ArrayList<>(byId.values());
    }

    public Template byId(String id) {
        return byId.get(id);
    }

    // ---- state: changes out, snapshot in ------------------------------------------------------

    /** Templates to (re)write since the last call. */
    public List<Template> drainDirty() {
        List<Template> out = new ArrayList<>(dirty);
        dirty.clear();
        return out;
    }

    /** Ids to delete from state since the last call (merged or evicted). */
    public List<String> drainRemoved() {
        List<String> out = new ArrayList<>(removed);
        removed.clear();
        return out;
    }

    /** Templates generalised into another since the last call, for recording where they went. */
    public List<Template> drainMergedAway() {
        List<Template> out = new ArrayList<>(mergedAway);
        mergedAway.clear();
        return out;
    }

    public boolean hasChanges() {
        return !dirty.isEmpty() || !removed.isEmpty();
    }

    public byte[] encodeMeta() {
        return new byte[] {(byte) (warm ? 1 : 0)};
    }

    /** Rebuilds a miner from its state: the templates and whether warm-up is over. */
    public static TemplateMiner restore(Limits limits, Iterable<byte[]> templates, byte[] meta) {
        TemplateMiner miner = new TemplateMiner(limits);
        for (byte[] bytes : templates) {
            Template t = decode(bytes);
            if (miner.byId.containsKey(t.id)) continue;
            miner.index(t);
            miner.live++;
        }
        miner.warm = meta != null && meta.length > 0 && meta[0] == 1;
        if (miner.warm) miner.linesSeen = limits.warmupLines() + 1;
        return miner;
    }

    public static byte[] encode(Template t) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + t.text.length() * 2);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1); // format version
            out.writeLong(t.count);
            out.writeLong(t.firstSeen);
            out.writeLong(t.lastSeen);
            out.writeInt(t.tokens.length);
            for (int i = 0; i < t.tokens.length; i++) {
                out.writeUTF(t.tokens[i]);
                out.writeBoolean(t.prefix[i] != null);
                if (t.prefix[i] != null) {
                    out.writeUTF(t.prefix[i]);
                    out.writeUTF(t.suffix[i]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Template decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readByte();
            if (version != 1) throw new IOException("unknown template state version " + version);
            long count = in.readLong(), first = in.readLong(), last = in.readLong();
            int n = in.readInt();
            String[] tokens = new String[n], prefix = new String[n], suffix = new String[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = in.readUTF();
                if (in.readBoolean()) {
                    prefix[i] = in.readUTF();
                    suffix[i] = in.readUTF();
                }
            }
            Template t = new Template(tokens, prefix, suffix);
            t.count = count;
            t.firstSeen = first;
            t.lastSeen = last;
            t.persistAtCount = Math.max(2, count * 2);
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
