package dev.logai.query.retention;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The raw archive bucket as retention and org deletion see it: every object of an org lives under
 * {@code <org id>/} (archive parts and uploaded files alike, {@code org/source/yyyy/mm/dd/…}), so an
 * org's data is one prefix. Deletes go 1000 keys per request (S3's {@code DeleteObjects} limit).
 * Path-style addressing, so S3-compatible stores (s3proxy, MinIO) work as AWS S3 does.
 */
@Component
public class ArchiveObjects implements DisposableBean {
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;

    ArchiveObjects(
            @Value("${logai.archive.bucket:logai-raw}") String bucket,
            @Value("${logai.archive.endpoint:}") String endpoint,
            @Value("${logai.archive.region:us-east-1}") String region,
            @Value("${logai.archive.access-key:}") String accessKey,
            @Value("${logai.archive.secret-key:}") String secretKey) {
        this.bucket = bucket;
        AwsCredentialsProvider credentials = accessKey.isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        var client = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30)));
        if (!endpoint.isBlank()) {
            client.endpointOverride(URI.create(endpoint));
        }
        this.s3 = client.build();
    }

    /** The bucket's name. */
    public String bucket() {
        return bucket;
    }

    /**
     * Deletes every object under {@code prefix} last written before {@code cutoff} (null: all).
     *
     * @param prefix an org's {@code <org id>/}; must end with {@code /}
     * @return how many objects were deleted
     * @throws software.amazon.awssdk.core.exception.SdkException when the store fails
     */
    public long deleteUnder(String prefix, Instant cutoff) {
        if (!prefix.endsWith("/") || prefix.length() < 2) {
            throw new IllegalArgumentException("An org prefix ends with '/': " + prefix);
        }
        long deleted = 0;
        String token = null;
        List<ObjectIdentifier> batch = new ArrayList<>();
        do {
            ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .continuationToken(token)
                    .build());
            for (S3Object o : page.contents()) {
                if (cutoff == null || o.lastModified().isBefore(cutoff)) {
                    batch.add(ObjectIdentifier.builder().key(o.key()).build());
                    if (batch.size() == DELETE_BATCH) {
                        deleted += delete(batch);
                    }
                }
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return deleted + delete(batch);
    }

    /** How many objects are under {@code prefix}. */
    public long count(String prefix) {
        long n = 0;
        String token = null;
        do {
            ListObjectsV2Response page = s3.listObjectsV2(ListObjectsV2Request.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .continuationToken(token)
                    .build());
            n += page.keyCount() == null ? page.contents().size() : page.keyCount();
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return n;
    }

    private long delete(List<ObjectIdentifier> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        DeleteObjectsResponse answer = s3.deleteObjects(b -> b.bucket(bucket)
                .delete(Delete.builder().objects(keys).quiet(true).build()));
        if (!answer.errors().isEmpty()) {
            throw new IllegalStateException(
                    "The object store refused to delete " + answer.errors().size() + " objects, e.g. "
                            + answer.errors().get(0).key() + ": "
                            + answer.errors().get(0).message());
        }
        long n = keys.size();
        keys.clear();
        return n;
    }

    @Override
    public void destroy() {
        s3.close();
    }
}
