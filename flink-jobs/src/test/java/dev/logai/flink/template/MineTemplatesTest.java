package dev.logai.flink.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logai.flink.parse.LogRecord;
import dev.logai.flink.window.OrgSourceKey;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The mining operator on Flink's keyed test harness: ids survive a snapshot/restore; sources stay apart. */
class MineTemplatesTest {
    private static KeyedOneInputStreamOperatorTestHarness<String, LogRecord, LogRecord> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new MineTemplates(new TemplateMiner.Limits(1_000, 128, 1_000, 3, 3_600_000))),
                new OrgSourceKey(),
                Types.STRING);
    }

    private static LogRecord record(String org, String source, String message, long ts) {
        LogRecord r = new LogRecord();
        r.orgId = org;
        r.sourceId = source;
        r.message = message;
        r.format = "text";
        r.ts = ts;
        return r;
    }

    private static LogRecord last(KeyedOneInputStreamOperatorTestHarness<String, LogRecord, LogRecord> h) {
        List<LogRecord> out = h.extractOutputValues();
        return out.get(out.size() - 1);
    }

    @Test
    void templateIdsAndMergesSurviveASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        String mergedId;
        try (var h = harness()) {
            h.open();
            for (String user : List.of("root", "admin", "oracle")) {
                h.processElement(record("o1", "s1", "Invalid user " + user + " from 10.0.0.1", 1), 1);
            }
            mergedId = last(h).templateId;
            assertThat(last(h).template).isEqualTo("Invalid user <*> from <*>");
            h.processElement(record("o1", "s1", "Connection closed by 10.0.0.2 [preauth]", 2), 2);
            snapshot = h.snapshot(1, 10);
        }
        try (var h = harness()) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.processElement(record("o1", "s1", "Invalid user zed from 10.9.9.9", 3), 3);
            assertThat(last(h).templateId).isEqualTo(mergedId);
            assertThat(last(h).templateNew).isFalse();
            // warm-up (3 lines) is over and restored: a template never seen is new
            h.processElement(record("o1", "s1", "disk quota exceeded on /data/vol1", 4), 4);
            assertThat(last(h).templateNew).isTrue();
            assertThat(last(h).templateId).isEqualTo(TemplateIds.of("disk quota exceeded on <*>"));
            // another source of the org: the same text gets the same id, but nothing else is shared
            h.processElement(record("o1", "s2", "Invalid user root from 10.0.0.1", 5), 5);
            assertThat(last(h).template).isEqualTo("Invalid user root from <*>");
            h.processElement(record("o1", "s2", "disk quota exceeded on /data/vol1", 6), 6);
            assertThat(last(h).templateId).isEqualTo(TemplateIds.of("disk quota exceeded on <*>"));
        }
    }
}
