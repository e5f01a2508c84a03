package dev.logai.query.me;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Permissions;
import dev.logai.query.auth.RequiresScope;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/me}: the caller in the request's org (the {@code X-Org-Id} header or the token's
 * org claim), its permissions, and a person's other orgs. The dashboard asks this once per sign-in
 * and per org switch, to show only what the role allows (the API refuses the rest anyway).
 */
@RestController
class MeController {
    private final MeRepository repository;

    MeController(MeRepository repository) {
        this.repository = repository;
    }

    @GetMapping("/v1/me")
    Me me(@RequiresScope(Permissions.READ) ApiPrincipal caller) {
        MeRepository.OrgRow org = repository.org(caller.orgId());
        List<String> permissions = caller.scopes().stream().sorted().toList();
        if (!caller.isPerson()) {
            return new Me(
                    "api_key",
                    caller.orgId(),
                    org.name(),
                    org.plan(),
                    null,
                    null,
                    null,
                    permissions,
                    List.of(new Me.OrgMembership(caller.orgId(), org.name(), null)));
        }
        String role = caller.role().name().toLowerCase(Locale.ROOT);
        List<Me.OrgMembership> orgs = repository.orgs(caller.orgId(), caller.userId());
        if (orgs.isEmpty()) {
            orgs = List.of(new Me.OrgMembership(caller.orgId(), org.name(), role));
        }
        return new Me(
                "person",
                caller.orgId(),
                org.name(),
                org.plan(),
                caller.userId(),
                repository.email(caller.orgId(), caller.userId()).orElse(null),
                role,
                permissions,
                orgs);
    }
}
