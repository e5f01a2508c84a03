package dev.logai.query.me;

import dev.logai.query.OrgJdbc;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/** The caller's org, e-mail and orgs (the last through {@code logai_member_orgs}, migration V20). */
@Repository
class MeRepository {
    private final OrgJdbc db;

    MeRepository(OrgJdbc db) {
        this.db = db;
    }

    record OrgRow(String name, String plan) {}

    OrgRow org(String orgId) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql("select name, plan from org where id = ?")
                        .param(orgId)
                        .query((rs, n) -> new OrgRow(rs.getString("name"), rs.getString("plan")))
                        .single());
    }

    Optional<String> email(String orgId, String userId) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql("select email from app_user where id = ?")
                        .param(userId)
                        .query((rs, n) -> Optional.ofNullable(rs.getString(1)))
                        .optional()
                        .flatMap(e -> e));
    }

    List<Me.OrgMembership> orgs(String orgId, String userId) {
        return db.inOrg(
                orgId,
                jdbc -> jdbc.sql("select org_id, org_name, role from logai_member_orgs(?)")
                        .param(userId)
                        .query((rs, n) -> new Me.OrgMembership(rs.getString(1), rs.getString(2), rs.getString(3)))
                        .list());
    }
}
