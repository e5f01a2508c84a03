package dev.logai.common.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * SSRF: alert targets that would reach the machine itself, the cloud's metadata service or a
 * private network are refused, however they are written, unless private targets are allowed.
 */
class OutboundTargetsTest {
    /** Public names resolve to a public address; "sneaky.example" resolves to loopback. */
    static final OutboundTargets.Resolver DNS = host -> switch (host) {
        case "hooks.slack.com", "receiver.example" -> new InetAddress[] {InetAddress.getByName("93.184.216.34")};
        case "sneaky.example" -> new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        case "mixed.example" ->
            new InetAddress[] {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.1.2.3")};
        default -> InetAddress.getAllByName(host); // literals
    };

    final OutboundTargets strict = new OutboundTargets(false, OutboundTargets.SLACK_HOSTS, DNS);

    @Test
    void publicHttpsTargetsPass() throws Exception {
        assertThat(strict.webhook("https://receiver.example/hooks/logai").addresses())
                .extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.216.34");
        assertThat(strict.slack("https://hooks.slack.com/services/T000/B000/XXXX")
                        .uri()
                        .getHost())
                .isEqualTo("hooks.slack.com");
    }

    @Test
    void loopbackPrivateLinkLocalAndMetadataAddressesAreRefused() {
        for (String url : new String[] {
            "http://127.0.0.1:8080/x",
            "http://[::1]/x",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.5/x",
            "http://172.16.3.4/x",
            "http://192.168.1.1/x",
            "http://100.100.100.200/x",
            "http://0.0.0.0/x",
            "http://[::ffff:127.0.0.1]/x",
            "http://[::ffff:a9fe:a9fe]/x",
            "http://[fd00:ec2::254]/x",
            "http://[fe80::1]/x",
            "http://[64:ff9b::a00:1]/x",
            "http://2130706433/x",
            "http://sneaky.example/x",
            "http://mixed.example/x",
            "http://localhost/x"
        }) {
            assertThatThrownBy(() -> strict.webhook(url))
                    .as(url)
                    .isInstanceOf(OutboundTargets.UnsafeTargetException.class)
                    .hasMessageContaining("resolves to");
        }
    }

    @Test
    void otherSchemesCredentialsAndForeignSlackHostsAreRefused() {
        assertThatThrownBy(() -> strict.webhook("file:///etc/passwd")).hasMessageContaining("Only http and https");
        assertThatThrownBy(() -> strict.webhook("gopher://receiver.example/"))
                .hasMessageContaining("Only http and https");
        assertThatThrownBy(() -> strict.webhook("https://user:pw@receiver.example/"))
                .hasMessageContaining("user name or password");
        assertThatThrownBy(() -> strict.webhook("https:///nohost")).hasMessageContaining("no host");
        assertThatThrownBy(() -> strict.webhook("not a url")).isInstanceOf(OutboundTargets.UnsafeTargetException.class);
        assertThatThrownBy(() -> strict.slack("https://receiver.example/services/T/B/X"))
                .hasMessageContaining("hooks.slack.com");
        assertThatThrownBy(() -> strict.webhook("https://does-not-exist.invalid/"))
                .hasMessageContaining("does not resolve");
    }

    @Test
    void selfHostedInstallsMayAllowPrivateTargets() throws Exception {
        OutboundTargets relaxed = new OutboundTargets(true, Set.of("hooks.slack.com", "127.0.0.1"), DNS);
        assertThat(relaxed.webhook("http://127.0.0.1:9000/hook").addresses()).hasSize(1);
        assertThat(relaxed.slack("http://127.0.0.1:9001/services/T/B/X").uri().getPort())
                .isEqualTo(9001);
        // Still only http(s), without credentials.
        assertThatThrownBy(() -> relaxed.webhook("ftp://127.0.0.1/")).hasMessageContaining("Only http and https");
    }
}
