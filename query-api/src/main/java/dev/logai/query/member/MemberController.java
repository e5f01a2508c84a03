package dev.logai.query.member;

import dev.logai.common.auth.MemberAuthenticator;
import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.tenancy.Permissions.Role;
import dev.logai.common.web.ApiProblem;
import dev.logai.query.Items;
import dev.logai.query.auth.RequiresScope;
import java.net.URI;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET/POST /v1/members}, {@code PATCH/DELETE /v1/members/{id}}: the people of the caller's
 * org. Anyone who may read sees the list; inviting, changing roles and removing need the {@code
 * members} permission (admin, owner). Only an owner grants, changes or removes the owner role, and
 * the last owner can be neither demoted nor removed (409). An invitation is the e-mail with a role:
 * the person's first sign-in with that (verified) e-mail binds their identity to it.
 */
@RestController
class MemberController {
    private final MemberRepository members;
    private final MemberAuthenticator authenticator;

    MemberController(MemberRepository members, MemberAuthenticator authenticator) {
        this.members = members;
        this.authenticator = authenticator;
    }

    /** Request body of POST /v1/members. */
    record Invitation(String email, String role) {}

    /** Request body of PATCH /v1/members/{id}. */
    record RoleChange(String role) {}

    /** {@code {"items": [Member...]}}, oldest first. */
    @GetMapping("/v1/members")
    Items<Member> list(@RequiresScope(Permissions.READ) ApiPrincipal caller) {
        return new Items<>(members.list(caller.orgId()));
    }

    /** 201 with the invited member; 400 for a bad e-mail or role, 403 granting owner as an admin, 409 if a member has the e-mail. */
    @PostMapping("/v1/members")
    ResponseEntity<Member> invite(
            @RequiresScope(Permissions.MEMBERS) ApiPrincipal caller, @RequestBody(required = false) Invitation body) {
        if (body == null) {
            throw ApiProblem.badRequest(
                    "Send a JSON body such as {\"email\": \"ana@example.com\", \"role\": \"member\"}.");
        }
        String email = body.email() == null ? "" : body.email().strip().toLowerCase(Locale.ROOT);
        if (email.length() < 3
                || email.length() > 320
                || !email.matches("[^@\\s]+@[^@\\s]+")
                || email.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.badRequest("'email' must be an e-mail address such as ana@example.com.");
        }
        Role role = role(body.role());
        requireMayGrant(caller, role);
        return members.invite(caller.orgId(), email, role, caller.userId())
                .map(m -> ResponseEntity.created(URI.create("/v1/members/" + m.id()))
                        .body(m))
                .orElseThrow(() -> new ApiProblem(
                        409,
                        "Already a member",
                        "'" + email + "' is already a member of your org; change their role with PATCH"
                                + " /v1/members/{id}."));
    }

    /** 200 with the member; 403 touching an owner as an admin, 404 unknown, 409 demoting the last owner. */
    @PatchMapping("/v1/members/{id}")
    Member changeRole(
            @RequiresScope(Permissions.MEMBERS) ApiPrincipal caller,
            @PathVariable("id") String id,
            @RequestBody(required = false) RoleChange body) {
        Role role = role(body == null ? null : body.role());
        Member current = existing(caller, id);
        requireMayGrant(caller, Role.parse(current.role()).orElse(Role.OWNER));
        requireMayGrant(caller, role);
        check(members.changeRole(caller.orgId(), id, role), id);
        authenticator.forget(id);
        return existing(caller, id);
    }

    /** 204 once removed; 403 removing an owner as an admin, 404 unknown, 409 for the last owner. */
    @DeleteMapping("/v1/members/{id}")
    ResponseEntity<Void> remove(
            @RequiresScope(Permissions.MEMBERS) ApiPrincipal caller, @PathVariable("id") String id) {
        Member current = existing(caller, id);
        requireMayGrant(caller, Role.parse(current.role()).orElse(Role.OWNER));
        check(members.remove(caller.orgId(), id), id);
        authenticator.forget(id);
        return ResponseEntity.noContent().build();
    }

    private Member existing(ApiPrincipal caller, String id) {
        return (Ids.looksLikeId(id) ? members.find(caller.orgId(), id) : java.util.Optional.<Member>empty())
                .orElseThrow(() -> notFound(id));
    }

    private static void check(MemberRepository.Change change, String id) {
        switch (change) {
            case NOT_FOUND -> throw notFound(id);
            case LAST_OWNER ->
                throw new ApiProblem(
                        409,
                        "Last owner",
                        "This is your org's last owner: make another member owner first (PATCH /v1/members/{id}"
                                + " with {\"role\": \"owner\"}).");
            default -> {}
        }
    }

    /** Only an owner grants the owner role or changes an owner. */
    private static void requireMayGrant(ApiPrincipal caller, Role role) {
        if (role == Role.OWNER && !caller.may(Permissions.ORG)) {
            throw new ApiProblem(403, "Owners only", "Only an owner may grant, change or remove the owner role.");
        }
    }

    private static Role role(String name) {
        return Role.parse(name)
                .orElseThrow(() -> ApiProblem.badRequest("'role' must be one of " + Role.wireNames() + "."));
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound("Unknown member", "Member '" + id + "' does not exist in your org.");
    }
}
