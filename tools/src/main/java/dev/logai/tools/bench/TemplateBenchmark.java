package dev.logai.tools.bench;

import dev.logai.flink.template.TemplateMiner;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * {@code ./logai bench templates}: single-thread template mining throughput and memory.
 *
 * <ul>
 *   <li>Hit path: 200,000 generated lines of 40 known templates (numbers, IPs, ids, user names),
 *       mined by a warmed-up {@link TemplateMiner}; next to two baselines on the same lines in the
 *       same run, alternated round by round: splitting on whitespace (the least any token-based
 *       miner does) and Drain3-style masking (a few regex replacements) plus a map lookup.</li>
 *   <li>New-template path: lines that are all different (three random words), so every line is
 *       created, compared with its siblings and, once the limit is reached, evicts the rarest.</li>
 *   <li>Memory: heap retained by one miner holding 10,000 templates, after full GCs.</li>
 * </ul>
 */
public final class TemplateBenchmark {
    static final int LINES = 200_000;

    private TemplateBenchmark() {}

    public static void main(String[] args) throws Exception {
        Random random = new Random(42);
        String[] lines = knownTemplateLines(random, LINES);
        System.out.printf(
                Locale.ROOT,
                "template benchmark: %d generated lines, median of %d rounds, 1 thread%n",
                LINES,
                ParseBenchmark.ROUNDS);

        TemplateMiner miner = new TemplateMiner();
        for (String line : lines) miner.match(line, 0);
        double[] vsSplit = ParseBenchmark.paired(() -> mineAll(miner, lines), () -> splitAll(lines), LINES);
        double[] vsRegex = ParseBenchmark.paired(() -> mineAll(miner, lines), () -> regexMaskAll(lines), LINES);
        System.out.printf(
                Locale.ROOT,
                "hit-path        %s lines/s  (%d templates)%n",
                ParseBenchmark.human(vsSplit[0]),
                miner.size());
        System.out.printf(
                Locale.ROOT,
                "  baseline whitespace-split  %s lines/s  ratio=%.2f%n",
                ParseBenchmark.human(vsSplit[1]),
                vsSplit[2]);
        System.out.printf(
                Locale.ROOT,
                "  baseline drain3-style-regex-mask+lookup  %s lines/s  ratio=%.2f%n",
                ParseBenchmark.human(vsRegex[1]),
                vsRegex[2]);

        int newLines = 50_000;
        String[] unique = new String[newLines];
        for (int i = 0; i < newLines; i++) {
            unique[i] = "event " + word(random) + " " + word(random) + " " + word(random);
        }
        double newRate = ParseBenchmark.median(
                () -> {
                    TemplateMiner fresh = new TemplateMiner();
                    long n = 0;
                    for (String line : unique) n += fresh.match(line, 0).created() ? 1 : 0;
                    return n;
                },
                newLines);
        System.out.printf(
                Locale.ROOT,
                "new-template    %s lines/s  (every line new, limit %d templates, rarest evicted)%n",
                ParseBenchmark.human(newRate),
                TemplateMiner.Limits.DEFAULT.maxTemplates());

        long bytes = retainedBytesOf10kTemplates(random);
        System.out.printf(
                Locale.ROOT,
                "memory          %.1f MB per 10,000 templates (%d bytes each, incl. exact-match cache)%n",
                bytes / 1e6,
                bytes / 10_000);
    }

    static long mineAll(TemplateMiner miner, String[] lines) {
        long sum = 0;
        for (String line : lines) sum += miner.match(line, 0).template().size();
        return sum;
    }

    static long splitAll(String[] lines) {
        long sum = 0;
        for (String line : lines) sum += line.split(" ").length;
        return sum;
    }

    private static final Pattern[] DRAIN3_MASKS = {
        Pattern.compile("((?<=[^A-Za-z0-9])|^)(\\d+\\.\\d+\\.\\d+\\.\\d+)((?=[^A-Za-z0-9])|$)"),
        Pattern.compile("((?<=[^A-Za-z0-9])|^)(0x[a-fA-F0-9]+)((?=[^A-Za-z0-9])|$)"),
        Pattern.compile("((?<=[^A-Za-z0-9])|^)([\\-\\+]?\\d+)((?=[^A-Za-z0-9])|$)"),
        Pattern.compile("((?<=[^A-Za-z0-9])|^)([a-f0-9]{8,})((?=[^A-Za-z0-9])|$)")
    };

    private static final Map<String, Integer> SEEN = new HashMap<>();

    static long regexMaskAll(String[] lines) {
        long sum = 0;
        for (String line : lines) {
            String masked = line;
            for (Pattern p : DRAIN3_MASKS) masked = p.matcher(masked).replaceAll("<*>");
            sum += SEEN.merge(masked, 1, Integer::sum) > 0 ? 1 : 0;
        }
        return sum;
    }

    static long retainedBytesOf10kTemplates(Random random) throws InterruptedException {
        TemplateMiner miner = new TemplateMiner(new TemplateMiner.Limits(20_000, 128, 40_000, 1_000, 600_000));
        long before = usedAfterGc();
        for (int i = 0; miner.size() < 10_000; i++) {
            miner.match(
                    word(random) + " request " + word(random) + " finished with " + word(random) + " in " + i + " ms",
                    i);
        }
        long after = usedAfterGc();
        if (miner.size() == 0) System.out.print(""); // keeps the miner reachable until measured
        return after - before;
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** 40 template shapes (8 kinds × 5 components) with the variables real logs have; 200 user names. */
    static String[] knownTemplateLines(Random r, int n) {
        String[] users = new String[200];
        for (int i = 0; i < users.length; i++) users[i] = word(r);
        String[] components = new String[5];
        for (int i = 0; i < components.length; i++) components[i] = word(r);
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            int shape = r.nextInt(40);
            String user = users[r.nextInt(users.length)];
            String ip = r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
            out[i] = components[shape / 8] + ": "
                    + switch (shape % 8) {
                        case 0 ->
                            "Accepted password for " + user + " from " + ip + " port " + r.nextInt(65536) + " ssh2 s"
                                    + shape;
                        case 1 ->
                            "Received block blk_" + r.nextLong() + " of size " + r.nextInt(1 << 26) + " from /" + ip
                                    + " k" + shape;
                        case 2 ->
                            "GET /api/v" + shape + "/orders/" + r.nextInt(100000) + " returned " + (200 + r.nextInt(5))
                                    + " in " + r.nextInt(900) + " ms";
                        case 3 ->
                            "worker-" + shape + " processed batch " + Long.toHexString(r.nextLong()) + " with "
                                    + r.nextInt(500) + " items, lag=" + r.nextInt(1000) + "ms";
                        case 4 ->
                            "Connection reset by peer " + ip + ":" + r.nextInt(65536) + " after " + r.nextInt(3000)
                                    + " bytes (stream " + shape + ")";
                        case 5 ->
                            "cache " + shape + " eviction: size=" + r.nextInt(10000) + " evicted=" + r.nextInt(100)
                                    + " ratio=0." + r.nextInt(100);
                        case 6 ->
                            "user " + user + " opened session "
                                    + java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i}) + " on node node" + shape;
                        default ->
                            "Task " + r.nextInt(500) + "." + r.nextInt(3) + " in stage " + r.nextInt(40) + ".0 (TID "
                                    + r.nextInt(5000) + ") finished, phase " + shape;
                    };
        }
        return out;
    }

    private static String word(Random r) {
        char[] c = new char[4 + r.nextInt(5)];
        for (int i = 0; i < c.length; i++) c[i] = (char) ('a' + r.nextInt(26));
        return new String(c);
    }
}
