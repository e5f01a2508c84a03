package dev.logai.query.anomaly;

import dev.logai.query.OrgJdbc;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/**
 * The anomaly sensitivity an org set for itself and for its sources ({@code org.anomaly_sensitivity},
 * {@code source.anomaly_sensitivity}; null = inherit). A change is stored and published to the
 * pipeline in one transaction: when publishing fails, nothing is stored.
 */
@Repository
class AnomalySettingsRepository {
    /** Publishes one change to the pipeline, inside the caller's transaction. */
    interface Publication {
        void publish(String orgId, String sourceId, String sensitivity);
    }

    /** A source and its own sensitivity (null: it follows the org). */
    record SourceSensitivity(String sourceId, String name, String sensitivity) {}

    /** The org's sensitivity (null: the deployment's default) and every source's. */
    record Settings(String sensitivity, List<SourceSensitivity> sources) {}

    private final OrgJdbc db;

    AnomalySettingsRepository(OrgJdbc db) {
        this.db = db;
    }

    Settings read(String orgId) {
        return db.inOrg(
                orgId,
                jdbc -> new Settings(
                        jdbc.sql("select anomaly_sensitivity from org where id = :org")
                                .param("org", orgId)
                                .query(String.class)
                                .optional()
                                .orElse(null),
                        jdbc.sql(
                                        "select id, name, anomaly_sensitivity from source where org_id = :org order by created_at, id")
                                .param("org", orgId)
                                .query((rs, i) ->
                                        new SourceSensitivity(rs.getString(1), rs.getString(2), rs.getString(3)))
                                .list()));
    }

    /** Sets (or clears, with null) the org's sensitivity and publishes it. */
    void setOrg(String orgId, String sensitivity, Publication publication) {
        db.inOrg(orgId, jdbc -> {
            jdbc.sql("update org set anomaly_sensitivity = :s where id = :org")
                    .param("s", sensitivity)
                    .param("org", orgId)
                    .update();
            publication.publish(orgId, null, sensitivity);
            return null;
        });
    }

    /**
     * Sets (or clears, with null) a source's sensitivity and publishes it.
     *
     * @return the source's name, empty when the org has no such source (nothing changed)
     */
    Optional<String> setSource(String orgId, String sourceId, String sensitivity, Publication publication) {
        return db.inOrg(orgId, jdbc -> {
            Optional<String> name = jdbc.sql(
                            "update source set anomaly_sensitivity = :s where org_id = :org and id = :id returning name")
                    .param("s", sensitivity)
                    .param("org", orgId)
                    .param("id", sourceId)
                    .query(String.class)
                    .optional();
            name.ifPresent(n -> publication.publish(orgId, sourceId, sensitivity));
            return name;
        });
    }
}
