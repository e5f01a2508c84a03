package dev.logai.common.tenancy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one permission matrix of LogAi: what each role of a person, and each scope of an API key,
 * may do. Every endpoint names the one permission it needs ({@code @RequiresScope} in the query
 * API, {@link ApiPrincipal#mayIngestInto} in the gateway); the README's roles table is this class.
 *
 * <pre>
 * permission  viewer member admin owner | key scope
 * read          x      x     x     x    | read
 * ingest               x     x     x    | ingest
 * alerts               x     x     x    | write
 * sources                    x     x    | write
 * budget                     x     x    | write
 * keys                       x     x    | —
 * members                    x     x    | —
 * org                              x    | —
 * </pre>
 *
 * Managing keys and members and the org is for people only: a leaked machine key can never mint
 * further keys or invite anyone.
 */
public final class Permissions {
    /** Read sources, windows, patterns, anomalies, summaries, uploads, alerts, usage, members, keys. */
    public static final String READ = "read";
    /** Send lines ({@code /v1/logs/stream}) and upload files. */
    public static final String INGEST = "ingest";
    /** Create, change and delete alert rules; set the anomaly sensitivity of the org and its sources. */
    public static final String ALERTS = "alerts";
    /** Create sources. */
    public static final String SOURCES = "sources";
    /** Set the org's AI budget. */
    public static final String BUDGET = "budget";
    /** Create, list and revoke API keys. */
    public static final String KEYS = "keys";
    /** Invite members, change their roles, remove them. */
    public static final String MEMBERS = "members";
    /** Plan, billing, deleting the org. */
    public static final String ORG = "org";

    /** The scopes an API key may be created with, as stored in {@code api_key.scopes}. */
    public static final List<String> KEY_SCOPES = List.of("ingest", "read", "write");

    /** A person's role in one org, weakest first. */
    public enum Role {
        VIEWER(READ),
        MEMBER(READ, INGEST, ALERTS),
        ADMIN(READ, INGEST, ALERTS, SOURCES, BUDGET, KEYS, MEMBERS),
        OWNER(READ, INGEST, ALERTS, SOURCES, BUDGET, KEYS, MEMBERS, ORG);

        private final Set<String> permissions;

        Role(String... permissions) {
            this.permissions = Set.of(permissions);
        }

        /** What this role may do: constants of {@link Permissions}. */
        public Set<String> permissions() {
            return permissions;
        }

        /** The role's name as stored and sent: {@code owner}, {@code admin}, {@code member}, {@code viewer}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The role named {@code name} (case-insensitive), or empty for anything else. */
        public static Optional<Role> parse(String name) {
            if (name == null) {
                return Optional.empty();
            }
            for (Role role : values()) {
                if (role.wireName().equalsIgnoreCase(name.strip())) {
                    return Optional.of(role);
                }
            }
            return Optional.empty();
        }

        /** The role names, weakest first, for messages. */
        public static List<String> wireNames() {
            return EnumSet.allOf(Role.class).stream().map(Role::wireName).toList();
        }
    }

    private Permissions() {}

    /**
     * The permissions an API key with {@code scopes} (values of {@link #KEY_SCOPES}) has: {@code
     * read} and {@code ingest} as named, {@code write} = alerts, sources and budget. Unknown scopes
     * give nothing.
     */
    public static Set<String> ofKeyScopes(Set<String> scopes) {
        Set<String> permissions = new LinkedHashSet<>();
        if (scopes.contains("read")) {
            permissions.add(READ);
        }
        if (scopes.contains("ingest")) {
            permissions.add(INGEST);
        }
        if (scopes.contains("write")) {
            permissions.addAll(List.of(ALERTS, SOURCES, BUDGET));
        }
        return Set.copyOf(permissions);
    }

    /**
     * Why {@code caller} may not do {@code permission}, for a 403 a person can act on: the role it
     * needs, or the key scope it needs (or that keys may not do it at all).
     */
    public static String refusal(ApiPrincipal caller, String permission) {
        if (caller.isPerson()) {
            String needed = Arrays.stream(Role.values())
                    .filter(r -> r.permissions().contains(permission))
                    .findFirst()
                    .map(Role::wireName)
                    .orElse("owner");
            return "Your role '" + caller.role().wireName() + "' may not do this ('" + permission + "'); it needs the '"
                    + needed + "' role or higher. Ask " + ("owner".equals(needed) ? "an owner" : "an admin or owner")
                    + " of your org to change your role.";
        }
        return KEY_SCOPES.stream()
                .filter(scope -> ofKeyScopes(Set.of(scope)).contains(permission))
                .findFirst()
                .map(scope -> "This API key lacks the '" + scope + "' scope needed here. Create a key with it"
                        + " (POST /v1/api-keys).")
                .orElse("API keys may not do this ('" + permission + "'): sign in as a person whose role allows it.");
    }
}
