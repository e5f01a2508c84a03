package dev.logai.gateway.auth;

import dev.logai.common.tenancy.ApiPrincipal;
import dev.logai.common.tenancy.Permissions;
import dev.logai.common.web.ApiProblem;

/**
 * Who may send lines and files to a source: a caller with the {@code ingest} permission (a key with
 * the ingest scope, a member, admin or owner; {@link Permissions}), and for a source-scoped key only
 * its own source. Both the stream and the upload endpoints ask here.
 */
public final class IngestAccess {
    private IngestAccess() {}

    /**
     * Passes when {@code caller} may send to {@code sourceId} of its org.
     *
     * @throws ApiProblem 403 naming the role or scope that is missing, or the one source a
     *     source-scoped key is for
     */
    public static void require(ApiPrincipal caller, String sourceId) {
        if (caller.mayIngestInto(sourceId)) {
            return;
        }
        if (caller.may(Permissions.INGEST)) {
            throw new ApiProblem(
                    403,
                    "Key not allowed for this source",
                    "This API key may send only to source '" + caller.restrictedToSourceId() + "', not '" + sourceId
                            + "'. Use a key for that source or one without a source restriction.");
        }
        throw new ApiProblem(403, "Not allowed to ingest", Permissions.refusal(caller, Permissions.INGEST));
    }
}
