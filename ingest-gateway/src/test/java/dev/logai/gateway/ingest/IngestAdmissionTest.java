package dev.logai.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logai.common.web.ApiProblem;
import dev.logai.gateway.GatewaySettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestAdmissionTest {
    final IngestAdmission admission = new IngestAdmission(new GatewaySettings(
            null, new GatewaySettings.Ingest(1024 * 1024, 1024, 1000, 600, Duration.ofMillis(50)), null));

    private static int status(Runnable r) {
        try {
            r.run();
            return 0;
        } catch (ApiProblem p) {
            return p.status();
        }
    }

    @Test
    void anOrgAtItsBudgetGets429AnotherOrgIsAdmittedUntilTheGlobalBudget() {
        IngestAdmission.Reservation a = admission.open("a");
        a.reserve(600);
        IngestAdmission.Reservation a2 = admission.open("a");
        assertThat(status(() -> a2.reserve(1))).isEqualTo(429);
        IngestAdmission.Reservation b = admission.open("b");
        b.reserve(400);
        IngestAdmission.Reservation c = admission.open("c");
        assertThat(status(() -> c.reserve(1))).isEqualTo(503);
        assertThat(admission.inFlightBytes()).isEqualTo(1000);
        a.close();
        c.reserve(1);
        assertThat(admission.inFlightBytes()).isEqualTo(401);
        b.close();
        c.close();
        a2.close();
        assertThat(admission.inFlightBytes()).isZero();
        assertThat(admission.peakInFlightBytes()).isEqualTo(1000);
    }

    @Test
    void aRequestThatAloneExceedsTheOrgBudgetIs413() {
        IngestAdmission.Reservation r = admission.open("a");
        r.reserve(500);
        assertThatThrownBy(() -> r.reserve(101))
                .isInstanceOfSatisfying(
                        ApiProblem.class, p -> assertThat(p.status()).isEqualTo(413));
        r.close();
        assertThat(admission.inFlightBytes()).isZero();
    }

    @Test
    void aWaitingRequestIsAdmittedWhenBytesComeFree() throws Exception {
        IngestAdmission slow = new IngestAdmission(new GatewaySettings(
                null, new GatewaySettings.Ingest(1024, 16, 100, 100, Duration.ofSeconds(30)), null));
        IngestAdmission.Reservation holder = slow.open("a");
        holder.reserve(100);
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(200); // the other request is waiting by then (it may wait 30 s)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            holder.close();
        });
        release.start();
        IngestAdmission.Reservation waiting = slow.open("a");
        waiting.reserve(100);
        release.join();
        assertThat(slow.inFlightBytes()).isEqualTo(100);
        waiting.close();
    }
}
