package dev.logai.flink.parse.text;

import dev.logai.flink.parse.multiline.Continuations;
import java.util.ArrayList;
import java.util.List;

/**
 * Learns a text source's header from a sample of its lines, with no list of known formats: each
 * line's leading fields are typed ({@link HeaderFields}), the type every line agrees on is found
 * position by position, and the header is the longest agreed prefix that ends where a message can
 * begin (after a timestamp, level, bracket, tag, dash, number or a column gap).
 *
 * <p>Agreement is not unanimity: a position is kept while at least {@link #MIN_SUPPORT} of the
 * sample still fits, so a few odd lines (a stack trace, an alert label) do not shorten the header.
 */
public final class HeaderLearner {
    static final double MIN_SUPPORT = 0.8;

    private HeaderLearner() {}

    public static HeaderShape learn(List<String> sample, long referenceMillis) {
        List<HeaderFields> lines = new ArrayList<>();
        for (String line : sample) {
            if (Continuations.looksLikeContinuation(line)) {
                continue; // stack-trace and continuation lines say nothing about the header
            }
            HeaderFields f = new HeaderFields();
            f.read(line, referenceMillis);
            lines.add(f);
        }
        int total = lines.size();
        if (total == 0) {
            return HeaderShape.NONE;
        }
        int[] offset = new int[total];
        boolean[] alive = new boolean[total];
        java.util.Arrays.fill(alive, true);
        List<FieldType> types = new ArrayList<>();
        List<Integer> layouts = new ArrayList<>();
        int best = 0;
        boolean anchored = false;
        boolean anchoredAtBest = false;
        boolean pipeDelimited = false;
        int[] typeCounts = new int[FieldType.values().length];
        for (int p = 0; p < HeaderFields.MAX_FIELDS; p++) {
            java.util.Arrays.fill(typeCounts, 0);
            int aliveCount = 0;
            for (int l = 0; l < total; l++) {
                int j = p + offset[l];
                if (!alive[l] || j >= lines.get(l).count) {
                    alive[l] = false;
                    continue;
                }
                typeCounts[lines.get(l).type[j].ordinal()]++;
                aliveCount++;
            }
            if (aliveCount < MIN_SUPPORT * total) break;
            FieldType consensus = majority(typeCounts, aliveCount);
            if (consensus == FieldType.TAG || consensus == FieldType.DASH) {
                absorbExtraWords(lines, alive, offset, p, consensus);
            }
            int fits = 0;
            int[] layoutVotes = new int[TimestampLayouts.EPOCH + 1];
            int wideOrPipe = 0;
            int bracketsWithHeader = 0;
            int messageFollows = 0;
            int[] nextColumns = new int[HeaderFields.MAX_HEADER_CHARS + 1];
            for (int l = 0; l < total; l++) {
                if (!alive[l]) continue;
                HeaderFields f = lines.get(l);
                int j = p + offset[l];
                if (!consensus.accepts(f.type[j])) {
                    alive[l] = false;
                    continue;
                }
                fits++;
                if (f.type[j] == FieldType.TS) layoutVotes[f.tsLayout[j]]++;
                if (f.sep[j] == HeaderFields.SEP_WIDE || f.sep[j] == HeaderFields.SEP_PIPE) wideOrPipe++;
                if (f.type[j] == FieldType.BRACKET && f.bracketHoldsHeader[j]) bracketsWithHeader++;
                nextColumns[Math.min(f.next[j], HeaderFields.MAX_HEADER_CHARS)]++;
                if (f.sep[j] != HeaderFields.SEP_END) messageFollows++;
            }
            if (fits < MIN_SUPPORT * total) break;
            types.add(consensus);
            layouts.add(
                    consensus == FieldType.TS ? TimestampLayouts.settleDayOrder(layoutVotes) : TimestampLayouts.NONE);
            if (consensus == FieldType.TS
                    || consensus == FieldType.LEVEL
                    || consensus == FieldType.TAG
                    || (consensus == FieldType.BRACKET && bracketsWithHeader >= MIN_SUPPORT * fits)) {
                anchored = true;
            }
            // A gap ends a header column only when it is a real column: a pipe, or padding that makes
            // the next field start at the same place on (nearly) every line. Double spaces inside
            // messages ("boot  (command 12)") start the next word wherever the word before ended.
            boolean pipe = wideOrPipe >= MIN_SUPPORT * fits && hasPipe(lines, alive, offset, p);
            boolean aligned = wideOrPipe >= MIN_SUPPORT * fits && max(nextColumns) >= MIN_SUPPORT * fits;
            boolean columnGap = pipe || aligned;
            if (pipe) {
                anchored = true;
            }
            boolean terminal = consensus.terminal() || columnGap;
            // "onStandStepChanged 3579": a number right after a plain word is message text, not a header column
            if (consensus == FieldType.NUM && !columnGap && p > 0 && types.get(p - 1) == FieldType.WORD) {
                terminal = false;
            }
            // a pipe-delimited header ends at its last pipe: later space-separated words are the message
            if (pipeDelimited && !pipe) {
                terminal = false;
            }
            if (pipe) {
                pipeDelimited = true;
            }
            // a header leaves a message: "hello world INFO" is a message that ends in a word, not a header
            if (terminal && messageFollows >= MIN_SUPPORT * fits) {
                best = p + 1;
                anchoredAtBest = anchored;
            }
        }
        if (best == 0 || !anchoredAtBest) {
            return HeaderShape.NONE;
        }
        FieldType[] t = types.subList(0, best).toArray(new FieldType[0]);
        int[] lay = new int[best];
        for (int i = 0; i < best; i++) lay[i] = layouts.get(i);
        return new HeaderShape(t, lay);
    }

    private static boolean hasPipe(List<HeaderFields> lines, boolean[] alive, int[] offset, int p) {
        for (int l = 0; l < lines.size(); l++) {
            if (alive[l]) return lines.get(l).sep[p + offset[l]] == HeaderFields.SEP_PIPE;
        }
        return false;
    }

    /**
     * Lines whose tag has blanks in it ({@code Google Chrome[35628]:}), or a name of two words before a
     * dash separator ({@code svchost.exe *64 -}), shift their later fields.
     */
    private static void absorbExtraWords(
            List<HeaderFields> lines, boolean[] alive, int[] offset, int p, FieldType end) {
        for (int l = 0; l < lines.size(); l++) {
            if (!alive[l]) continue;
            HeaderFields f = lines.get(l);
            int j = p + offset[l];
            if (f.type[j] == end) continue;
            for (int extra = 1; extra <= HeaderShape.TAG_EXTRA_WORDS && j + extra < f.count; extra++) {
                if (f.sep[j + extra - 1] != HeaderFields.SEP_SPACE) break;
                if (f.type[j + extra] == end) {
                    offset[l] += extra;
                    break;
                }
            }
        }
    }

    /**
     * The type for a position: the most specific type that still fits nearly every line (a pid
     * column is NUM, not WORD), else the type that fits the most lines. A lone "-" is an empty
     * value and fits any type, so DASH only wins a position it fills in most lines.
     */
    private static FieldType majority(int[] counts, int alive) {
        FieldType[] all = FieldType.values();
        int[] accepted = new int[all.length];
        int mostAccepted = 0;
        for (int i = 0; i < all.length; i++) {
            for (int a = 0; a < all.length; a++) {
                if (all[i].accepts(all[a])) accepted[i] += counts[a];
            }
            mostAccepted = Math.max(mostAccepted, accepted[i]);
        }
        int best = -1;
        for (int i = 0; i < all.length; i++) {
            if (accepted[i] < 0.95 * mostAccepted) continue;
            if (all[i] == FieldType.DASH && counts[i] * 2 <= alive) continue;
            if (best < 0 || counts[i] > counts[best]) best = i;
        }
        if (best < 0) {
            for (int i = 0; i < all.length; i++) {
                if (accepted[i] == mostAccepted) return all[i];
            }
        }
        return all[best];
    }

    private static int max(int[] values) {
        int m = 0;
        for (int v : values) m = Math.max(m, v);
        return m;
    }
}
