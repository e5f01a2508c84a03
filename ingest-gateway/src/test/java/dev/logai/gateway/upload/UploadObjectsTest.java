package dev.logai.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logai.common.web.ApiProblem;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The pre-signed PUT holds S3 to one body: its length and SHA-256 are signed, the URL expires. */
class UploadObjectsTest {
    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    final UploadSettings settings = new UploadSettings(
            "logai-raw",
            "http://127.0.0.1:9",
            "https://uploads.example.com",
            "eu-west-1",
            "access",
            "secret",
            1024,
            Duration.ofMinutes(15),
            3,
            Duration.ofMillis(500),
            "logai.uploads");

    @Test
    void signsTheLengthAndChecksumIntoAPathStylePutOnThePublicEndpoint() {
        UploadObjects objects = new UploadObjects(settings);
        Instant before = Instant.now();
        UploadObjects.PresignedPut put = objects.presignPut("org_a/src_b/2025/01/02/upload-upl_c", 4, SHA, null, null);
        URI url = URI.create(put.url());
        assertThat(url.getHost()).isEqualTo("uploads.example.com");
        assertThat(url.getPath()).isEqualTo("/logai-raw/org_a/src_b/2025/01/02/upload-upl_c");
        assertThat(url.getQuery())
                .contains("X-Amz-Algorithm=AWS4-HMAC-SHA256")
                .contains("X-Amz-Expires=900")
                .contains("eu-west-1");
        String signedHeaders = url.getQuery().replaceAll(".*X-Amz-SignedHeaders=([^&]*).*", "$1");
        assertThat(signedHeaders).contains("content-length").contains("x-amz-checksum-sha256");
        assertThat(put.headers())
                .containsEntry("content-length", "4")
                .containsEntry(
                        "x-amz-checksum-sha256",
                        Base64.getEncoder()
                                .encodeToString(java.util.HexFormat.of().parseHex(SHA)))
                .doesNotContainKey("Host")
                .doesNotContainKey("host");
        assertThat(put.expiresAt()).isBetween(before.plus(Duration.ofMinutes(14)), before.plus(Duration.ofMinutes(16)));
        objects.destroy();
    }

    @Test
    void aContentTypeIsSignedOnlyWhenGiven() {
        UploadObjects objects = new UploadObjects(settings);
        assertThat(objects.presignPut("k", 4, SHA, "text/plain", null).headers())
                .containsEntry("content-type", "text/plain");
        assertThat(objects.presignPut("k", 4, SHA, null, null).headers()).doesNotContainKey("content-type");
        objects.destroy();
    }

    @Test
    void settingsRefuseUnusableValues() {
        assertThatThrownBy(() -> new UploadSettings(
                        "b", "", "", "us-east-1", "", "", 0, Duration.ofMinutes(1), 1, Duration.ZERO, "t"))
                .hasMessageContaining("LOGAI_UPLOAD_MAX_FILE_BYTES");
        assertThatThrownBy(() -> new UploadSettings(
                        "b", "", "", "us-east-1", "", "", 1, Duration.ofDays(8), 1, Duration.ZERO, "t"))
                .hasMessageContaining("LOGAI_UPLOAD_URL_TTL");
    }

    @Test
    void checksNameTheFieldAndWhatToDo() {
        assertThat(problem(() -> UploadChecks.size(0L, 10)).status()).isEqualTo(400);
        assertThat(problem(() -> UploadChecks.size(11L, 10)).status()).isEqualTo(413);
        assertThat(UploadChecks.size(10L, 10)).isEqualTo(10);
        assertThat(UploadChecks.sha256Hex(SHA.toUpperCase(), "sha256")).isEqualTo(SHA);
        assertThat(problem(() -> UploadChecks.sha256Hex("abc", "sha256")).getMessage())
                .contains("64 hex");
        assertThat(UploadChecks.hash("sha256:" + SHA)).isEqualTo(SHA);
        assertThat(problem(() -> UploadChecks.hash(SHA)).getMessage()).contains("sha256:");
        assertThat(UploadChecks.gzip(null, "app.log.GZ")).isTrue();
        assertThat(UploadChecks.gzip(null, "app.log")).isFalse();
        assertThat(problem(() -> UploadChecks.gzip("br", "app.log")).status()).isEqualTo(415);
        assertThat(problem(() -> UploadChecks.filename("a\nb")).status()).isEqualTo(400);
    }

    @Test
    void objectKeysMustBeTheCallersOrgAndTheNamedSource() {
        String key = "org_mine/src_a/2025/01/02/upload-upl_c.gz";
        assertThat(UploadChecks.objectKey(key, "org_mine", "src_a").gzip()).isTrue();
        assertThat(problem(() -> UploadChecks.objectKey(key, "org_other", "src_a"))
                        .status())
                .isEqualTo(403);
        assertThat(problem(() -> UploadChecks.objectKey(key, "org_mine", "src_b"))
                        .getMessage())
                .contains("src_a");
        assertThat(problem(() -> UploadChecks.objectKey("org_mine/../x", "org_mine", "src_a"))
                        .getMessage())
                .contains("not an upload key");
    }

    private static ApiProblem problem(Runnable r) {
        try {
            r.run();
        } catch (ApiProblem p) {
            return p;
        }
        throw new AssertionError("no problem raised");
    }
}
