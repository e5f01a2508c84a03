package dev.logai.gateway.upload;

import dev.logai.common.contract.UploadKeys;
import dev.logai.common.web.ApiProblem;
import java.time.Instant;
import java.util.Locale;

/**
 * The checks of the upload calls, each failing with a problem that names the field and what to do.
 * Pure functions of their arguments, so each is unit-tested on its own.
 */
final class UploadChecks {
    private static final int MAX_FILENAME = 255;
    private static final int MAX_CONTENT_TYPE = 128;

    private UploadChecks() {}

    /** The file's name (kept for display): 1–255 characters without control characters. */
    static String filename(String filename) {
        if (filename == null || filename.isBlank()) {
            throw ApiProblem.badRequest("Send 'filename': the name of the file (shown with the upload).");
        }
        if (filename.length() > MAX_FILENAME || filename.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.badRequest("'filename' must be 1 to 255 characters without control characters.");
        }
        return filename;
    }

    /**
     * The declared size in bytes, 1 to {@code maxBytes}.
     *
     * @throws ApiProblem 400 when missing or zero (an empty file has nothing to analyse), 413 over the cap
     */
    static long size(Long size, long maxBytes) {
        if (size == null || size < 0) {
            throw ApiProblem.badRequest("Send 'size': the file's length in bytes.");
        }
        if (size == 0) {
            throw new ApiProblem(
                    400,
                    "Empty file",
                    "The file is empty (0 bytes): there is nothing to analyse. Upload a file with lines.");
        }
        if (size > maxBytes) {
            throw new ApiProblem(
                    413,
                    "File too large",
                    "The file is " + size + " bytes; one upload may be at most " + maxBytes + " bytes. Compress it"
                            + " with gzip, or split it and upload the parts.");
        }
        return size;
    }

    /** A SHA-256 as 64 hex digits, lower-cased. */
    static String sha256Hex(String hex, String field) {
        if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) {
            throw ApiProblem.badRequest("'" + field + "' must be the file's SHA-256 as 64 hex digits (e.g. the"
                    + " first word of `sha256sum FILE`).");
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    /** register-upload's {@code hash}: {@code sha256:<64 hex>} → the hex, lower-cased. */
    static String hash(String hash) {
        if (hash == null || !hash.startsWith("sha256:")) {
            throw ApiProblem.badRequest(
                    "'hash' must be \"sha256:<64 hex digits>\", the file's SHA-256 as sent to" + " upload-url.");
        }
        return sha256Hex(hash.substring("sha256:".length()), "hash");
    }

    /** An optional content type: printable ASCII, at most 128 characters. */
    static String contentType(String contentType) {
        if (contentType == null || contentType.isEmpty()) {
            return null;
        }
        if (contentType.length() > MAX_CONTENT_TYPE || !contentType.matches("[\\x20-\\x7e]+")) {
            throw ApiProblem.badRequest("'content_type' must be printable ASCII of at most 128 characters,"
                    + " e.g. text/plain; or leave it out.");
        }
        return contentType;
    }

    /** Whether the file is gzip: {@code content_encoding} "gzip", or a name ending in {@code .gz}. */
    static boolean gzip(String contentEncoding, String filename) {
        if (contentEncoding != null && !contentEncoding.isEmpty()) {
            if (!contentEncoding.equalsIgnoreCase("gzip")) {
                throw new ApiProblem(
                        415,
                        "Unsupported content encoding",
                        "'content_encoding' may only be \"gzip\" (or left out for a plain text file); compress the"
                                + " file with gzip or send it uncompressed.");
            }
            return true;
        }
        return filename.toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /**
     * register-upload's {@code object_key}: an upload key under the caller's org and the given
     * source.
     *
     * @throws ApiProblem 400 for a key that is no upload key or names another source than {@code
     *     source_id}; 403 for a key under another org
     */
    static UploadKeys.Parsed objectKey(String objectKey, String callerOrgId, String sourceId) {
        UploadKeys.Parsed key = UploadKeys.parse(objectKey)
                .orElseThrow(() -> ApiProblem.badRequest("'object_key' is not an upload key"
                        + " (org_id/source_id/yyyy/mm/dd/upload-<id>[.gz]): register the object_key upload-url"
                        + " returned."));
        if (!key.orgId().equals(callerOrgId)) {
            throw new ApiProblem(
                    403,
                    "Object outside your org",
                    "'object_key' lies outside your org's prefix (" + callerOrgId + "/…): register only objects"
                            + " uploaded through your own upload-url.");
        }
        if (sourceId == null || sourceId.isBlank()) {
            throw ApiProblem.badRequest("Send 'source_id': the source the object was uploaded for.");
        }
        if (!key.sourceId().equals(sourceId)) {
            throw ApiProblem.badRequest("'object_key' lies under source '" + key.sourceId() + "', not source_id '"
                    + sourceId + "': register it with the source_id it was uploaded for.");
        }
        return key;
    }

    /** The register call's size and hash are the ones upload-url signed. */
    static void matchesDeclared(UploadRepository.Upload upload, long size, String sha256Hex) {
        if (upload.size() != size) {
            throw new ApiProblem(
                    422,
                    "Size does not match",
                    "'size' is " + size + " bytes, but the URL was issued for " + upload.size() + " bytes. Register"
                            + " with the size sent to upload-url, or request a new URL for this file.");
        }
        if (upload.sha256Hex() != null && !upload.sha256Hex().equals(sha256Hex)) {
            throw new ApiProblem(
                    422,
                    "Checksum does not match",
                    "'hash' is not the SHA-256 the URL was issued for. Register with the hash sent to upload-url,"
                            + " or request a new URL for this file.");
        }
    }

    /** The stored object is the file the URL was for. */
    static void matchesStored(UploadRepository.Upload upload, UploadObjects.StoredObject stored) {
        if (stored.size() != upload.size()) {
            throw new ApiProblem(
                    422,
                    "Stored size does not match",
                    "The stored object is " + stored.size() + " bytes, not the " + upload.size() + " declared."
                            + " Request a new URL and upload the file again.");
        }
        if (stored.sha256Hex() == null || !stored.sha256Hex().equalsIgnoreCase(upload.sha256Hex())) {
            throw new ApiProblem(
                    422,
                    "Stored checksum does not match",
                    "The stored object's SHA-256 is not the one declared. Request a new URL and upload the file"
                            + " again.");
        }
    }

    /** The object is not in the store: never PUT, PUT refused, or its URL expired before the PUT. */
    static ApiProblem objectMissing(UploadRepository.Upload upload, Instant now) {
        if (upload.expiresAt() != null && now.isAfter(upload.expiresAt())) {
            return ApiProblem.notFound(
                    "Object not uploaded",
                    "Nothing was stored under this object_key and its URL expired at " + upload.expiresAt()
                            + ". Request a new URL with POST /v1/logs/upload-url and PUT the file again.");
        }
        return ApiProblem.notFound(
                "Object not uploaded",
                "Nothing is stored under this object_key yet. PUT the file to the URL from upload-url (with every"
                        + " header it lists) and register once the PUT answered 200.");
    }
}
