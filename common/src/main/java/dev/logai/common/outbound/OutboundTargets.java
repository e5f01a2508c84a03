package dev.logai.common.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where LogAi may send a tenant's data (webhooks, Slack): checked when a URL is saved and again
 * right before each request, because a name can resolve elsewhere later (DNS rebinding). A target
 * must be http(s), carry no credentials, and resolve only to public addresses — never loopback,
 * unspecified, link-local (cloud metadata at 169.254.169.254 included), private (10/8, 172.16/12,
 * 192.168/16, fc00::/7), carrier-grade NAT (100.64/10, where some clouds keep metadata too),
 * multicast or reserved ranges, also when written as an IPv4-mapped or NAT64 IPv6 address. Slack
 * targets must be on Slack's webhook host. Callers connect to the returned addresses and follow no
 * redirects. {@code allowPrivate} lifts the address rule for self-hosted installs and local tests.
 */
public final class OutboundTargets {
    public static final Set<String> SLACK_HOSTS = Set.of("hooks.slack.com");

    private final boolean allowPrivate;
    private final Set<String> slackHosts;
    private final Resolver resolver;

    /** Name resolution, replaceable so tests can make a name resolve anywhere. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public OutboundTargets(boolean allowPrivate, Set<String> slackHosts) {
        this(allowPrivate, slackHosts, InetAddress::getAllByName);
    }

    public OutboundTargets(boolean allowPrivate, Set<String> slackHosts, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.slackHosts = Set.copyOf(slackHosts);
        this.resolver = resolver;
    }

    /** A refused target, with a message that says what to change. */
    public static final class UnsafeTargetException extends Exception {
        public UnsafeTargetException(String message) {
            super(message);
        }
    }

    /** A checked target: the URL and the addresses it may be reached at. */
    public record Target(URI uri, List<InetAddress> addresses) {}

    public Target webhook(String url) throws UnsafeTargetException {
        return check(parse(url));
    }

    public Target slack(String url) throws UnsafeTargetException {
        URI uri = parse(url);
        if (!slackHosts.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            throw new UnsafeTargetException("A Slack webhook URL must be on " + String.join(" or ", slackHosts)
                    + " (an incoming-webhook URL from Slack's app settings); got host " + uri.getHost());
        }
        return check(uri);
    }

    private static URI parse(String url) throws UnsafeTargetException {
        if (url == null || url.isBlank()) {
            throw new UnsafeTargetException("The URL is empty");
        }
        if (url.length() > 2048) {
            throw new UnsafeTargetException("The URL is longer than 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new UnsafeTargetException("The URL is not valid: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new UnsafeTargetException("Only http and https URLs can receive alerts; got '" + scheme + ":'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new UnsafeTargetException("The URL has no host name");
        }
        if (uri.getRawUserInfo() != null) {
            throw new UnsafeTargetException(
                    "The URL must not contain a user name or password; use the rule's signing secret");
        }
        return uri;
    }

    private Target check(URI uri) throws UnsafeTargetException {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new UnsafeTargetException("The host " + host + " does not resolve");
        }
        if (addresses.length == 0) {
            throw new UnsafeTargetException("The host " + host + " does not resolve");
        }
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                String why = blocked(a);
                if (why != null) {
                    throw new UnsafeTargetException(
                            "The host " + host + " resolves to " + a.getHostAddress() + ", " + why
                                    + "; alerts go only to public addresses (self-hosted installs can allow private targets)");
                }
            }
        }
        return new Target(uri, List.of(addresses));
    }

    /** Why an address may not receive tenant data, or null if it may. */
    static String blocked(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            InetAddress embedded = embeddedIpv4(b);
            if (embedded != null) {
                String why = blocked(embedded);
                return why == null ? null : why + " (inside an IPv6 address)";
            }
            if ((b[0] & 0xfe) == 0xfc) return "a private (unique local) address";
        }
        if (a.isLoopbackAddress()) return "a loopback address";
        if (a.isAnyLocalAddress()) return "the unspecified address";
        if (a.isLinkLocalAddress()) return "a link-local address (cloud metadata lives there)";
        if (a.isSiteLocalAddress()) return "a private address";
        if (a.isMulticastAddress()) return "a multicast address";
        if (a instanceof Inet4Address) {
            byte[] b = a.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) return "a reserved address";
            if (first == 100 && second >= 64 && second < 128) return "a carrier-grade NAT address";
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) return "a reserved address";
            if (first == 198 && (second == 18 || second == 19)) return "a benchmarking address";
            if (first >= 240) return "a reserved address";
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible or NAT64 (64:ff9b::/96) address. */
    private static InetAddress embeddedIpv4(byte[] b) {
        boolean zeros10 = true;
        for (int i = 0; i < 10; i++) {
            zeros10 &= b[i] == 0;
        }
        boolean mapped = zeros10 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros10 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        boolean nat64 =
                (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        if (!mapped && !compatible && !nat64) {
            return null;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
