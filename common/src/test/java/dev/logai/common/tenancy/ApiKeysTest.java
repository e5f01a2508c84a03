package dev.logai.common.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    @Test
    void generatedKeysAreWellFormedAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeys.generate();
            assertThat(ApiKeys.looksValid(key)).as(key).isTrue();
            assertThat(seen.add(key)).isTrue();
        }
    }

    @Test
    void hashIsStableHexSha256() {
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void rejectsMalformedKeys() {
        assertThat(ApiKeys.looksValid(null)).isFalse();
        assertThat(ApiKeys.looksValid("lgai_short")).isFalse();
        assertThat(ApiKeys.looksValid("xxxx_" + "a".repeat(40))).isFalse();
        assertThat(ApiKeys.looksValid("lgai_" + "A".repeat(40))).isFalse();
        assertThat(ApiKeys.looksValid("lgai_" + "a".repeat(39) + "'")).isFalse();
    }

    @Test
    void idsAreRecognised() {
        String id = Ids.newId("src");
        assertThat(Ids.looksLikeId(id)).isTrue();
        assertThat(Ids.looksLikeId("src_x' or 1=1 --")).isFalse();
    }
}
