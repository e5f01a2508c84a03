package dev.logai.query.member;

import dev.logai.common.tenancy.Ids;
import dev.logai.common.tenancy.Permissions.Role;
import dev.logai.query.OrgJdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Members of one org ({@code app_user} rows not removed). Every call is one org-scoped transaction;
 * row-level security hides other orgs' members. Changes that could leave an org without an owner
 * lock the org's owner rows first, so two concurrent demotions cannot both pass the check.
 */
@Repository
class MemberRepository {
    private static final String COLUMNS = "id, email, role, auth0_sub is not null as bound, created_at, last_login_at";

    private final OrgJdbc db;

    MemberRepository(OrgJdbc db) {
        this.db = db;
    }

    /** Outcome of a change to a member. */
    enum Change {
        DONE,
        NOT_FOUND,
        LAST_OWNER
    }

    /** The org's members, oldest first. */
    List<Member> list(String orgId) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql(
                                "select " + COLUMNS + " from app_user where removed_at is null order by created_at, id")
                        .query(MemberRepository::member)
                        .list());
    }

    /** The member, or empty when the org has no such (current) member. */
    Optional<Member> find(String orgId, String userId) {
        return db.inOrg(orgId, jdbc -> find(jdbc, userId));
    }

    /**
     * Invites {@code email} (lower-case) with {@code role}: a new row, or a removed member's row
     * made current again with the new role; empty when a current member has it.
     */
    Optional<Member> invite(String orgId, String email, Role role, String invitedBy) {
        return db.inOrg(orgId, jdbc -> {
            Optional<String> removed = jdbc.sql(
                            "select id from app_user where email = :email and removed_at is not" + " null for update")
                    .param("email", email)
                    .query(String.class)
                    .optional();
            String id;
            if (removed.isPresent()) {
                id = removed.get();
                jdbc.sql("update app_user set removed_at = null, role = :role, invited_by = :by where id = :id")
                        .param("role", role.wireName())
                        .param("by", invitedBy)
                        .param("id", id)
                        .update();
            } else {
                id = Ids.newId("usr");
                int inserted = jdbc.sql("insert into app_user (id, org_id, email, role, invited_by)"
                                + " values (:id, :org, :email, :role, :by) on conflict do nothing")
                        .param("id", id)
                        .param("org", orgId)
                        .param("email", email)
                        .param("role", role.wireName())
                        .param("by", invitedBy)
                        .update();
                if (inserted == 0) {
                    return Optional.empty();
                }
            }
            return find(jdbc, id);
        });
    }

    /** Gives the member {@code role}; {@link Change#LAST_OWNER} when that would leave no owner. */
    Change changeRole(String orgId, String userId, Role role) {
        return db.inOrg(orgId, jdbc -> {
            Optional<Member> member = find(jdbc, userId);
            if (member.isEmpty()) {
                return Change.NOT_FOUND;
            }
            if (role != Role.OWNER && isLastOwner(jdbc, member.get())) {
                return Change.LAST_OWNER;
            }
            jdbc.sql("update app_user set role = :role where id = :id")
                    .param("role", role.wireName())
                    .param("id", userId)
                    .update();
            return Change.DONE;
        });
    }

    /** Removes the member (the row stays, marked removed); {@link Change#LAST_OWNER} for the last owner. */
    Change remove(String orgId, String userId) {
        return db.inOrg(orgId, jdbc -> {
            Optional<Member> member = find(jdbc, userId);
            if (member.isEmpty()) {
                return Change.NOT_FOUND;
            }
            if (isLastOwner(jdbc, member.get())) {
                return Change.LAST_OWNER;
            }
            jdbc.sql("update app_user set removed_at = now() where id = :id")
                    .param("id", userId)
                    .update();
            return Change.DONE;
        });
    }

    private static boolean isLastOwner(JdbcClient jdbc, Member member) {
        if (!Role.OWNER.wireName().equals(member.role())) {
            return false;
        }
        List<String> owners = jdbc.sql("select id from app_user where role = 'owner' and removed_at is null for update")
                .query(String.class)
                .list();
        return owners.size() <= 1;
    }

    private static Optional<Member> find(JdbcClient jdbc, String userId) {
        return jdbc.sql("select " + COLUMNS + " from app_user where id = :id and removed_at is null")
                .param("id", userId)
                .query(MemberRepository::member)
                .optional();
    }

    private static Member member(ResultSet rs, int n) throws SQLException {
        return new Member(
                rs.getString("id"),
                rs.getString("email"),
                rs.getString("role"),
                rs.getBoolean("bound") ? "active" : "invited",
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("last_login_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
