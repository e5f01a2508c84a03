package dev.logai.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UploadKeysTest {
    static final Instant DAY = Instant.parse("2025-03-09T23:59:59Z");

    @Test
    void keysAreOrgSourceUtcDayAndUploadId() {
        assertThat(UploadKeys.of("org_abc", "src_def", "upl_xyz", DAY, true))
                .isEqualTo("org_abc/src_def/2025/03/09/upload-upl_xyz.gz");
        assertThat(UploadKeys.of("org_abc", "src_def", "upl_xyz", DAY, false))
                .isEqualTo("org_abc/src_def/2025/03/09/upload-upl_xyz");
    }

    @Test
    void parsesItsOwnKeysBack() {
        assertThat(UploadKeys.parse("org_abc/src_def/2025/03/09/upload-upl_xyz.gz"))
                .contains(new UploadKeys.Parsed("org_abc", "src_def", "upl_xyz", true));
        assertThat(UploadKeys.parse("org_abc/src_def/2025/03/09/upload-upl_xyz"))
                .contains(new UploadKeys.Parsed("org_abc", "src_def", "upl_xyz", false));
    }

    @Test
    void refusesEveryOtherLayout() {
        for (String key : new String[] {
            null,
            "",
            "org_abc/src_def/upload-upl_xyz",
            "org_abc/src_def/2025/03/09/part-0-1",
            "org_abc/src_def/2025/03/09/upload-upl_xyz.zip",
            "../org_abc/src_def/2025/03/09/upload-upl_xyz",
            "org_abc/src_def/2025/03/09/upload-upl_xyz/../../x",
            "ORG_abc/src_def/2025/03/09/upload-upl_xyz",
            "org_abc/src_def/2025/03/09/upload-upl_" + "a".repeat(300)
        }) {
            assertThat(UploadKeys.parse(key)).as(String.valueOf(key)).isEmpty();
        }
    }

    @Test
    void eventsRoundTripWithAndWithoutParserHint() {
        UploadRegistered event = new UploadRegistered(
                "upl_a", "org_a", "src_a", "bucket", "org_a/src_a/2025/03/09/upload-upl_a.gz", 42, true, 7L, "json");
        assertThat(UploadRegistered.decode(event.encode())).isEqualTo(event);
        UploadRegistered noHint = new UploadRegistered("upl_a", "org_a", "src_a", "b", "k", 0, false, 7L, null);
        assertThat(UploadRegistered.decode(noHint.encode())).isEqualTo(noHint);
        assertThat(event.kafkaKey()).isEqualTo("org_a/src_a");
    }
}
