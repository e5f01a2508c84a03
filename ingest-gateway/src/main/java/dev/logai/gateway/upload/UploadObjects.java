package dev.logai.gateway.upload;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/**
 * The object store side of uploads: pre-signed PUT URLs that S3 itself holds to one body (its exact
 * length and SHA-256 are signed: S3 answers 403 to any other), and the HEAD of register-upload.
 * Path-style addressing, so S3-compatible stores (s3proxy, MinIO) work as AWS S3 does.
 */
@Component
class UploadObjects implements DisposableBean {
    /** User metadata carrying the declared SHA-256 (hex), signed into the URL, returned by HEAD. */
    static final String SHA256_METADATA = "sha256";

    private final UploadSettings settings;
    private final S3Presigner presigner;
    private final S3Client s3;

    UploadObjects(UploadSettings settings) {
        this.settings = settings;
        AwsCredentialsProvider credentials =
                settings.accessKey() == null || settings.accessKey().isBlank()
                        ? DefaultCredentialsProvider.builder().build()
                        : StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        S3Configuration pathStyle =
                S3Configuration.builder().pathStyleAccessEnabled(true).build();
        Region region = Region.of(settings.region());
        String publicEndpoint =
                settings.publicEndpoint() == null || settings.publicEndpoint().isBlank()
                        ? settings.endpoint()
                        : settings.publicEndpoint();
        S3Presigner.Builder presign = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle);
        if (publicEndpoint != null && !publicEndpoint.isBlank()) {
            presign.endpointOverride(URI.create(publicEndpoint));
        }
        this.presigner = presign.build();
        var client = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(pathStyle)
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(10)));
        if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
            client.endpointOverride(URI.create(settings.endpoint()));
        }
        this.s3 = client.build();
    }

    /**
     * A URL to PUT exactly one body to.
     *
     * @param url the pre-signed URL
     * @param headers every header the PUT must carry, with the value signed (Content-Length,
     *     x-amz-checksum-sha256, …); {@code Host} excluded, HTTP clients set it
     * @param expiresAt when S3 stops accepting the URL
     */
    record PresignedPut(String url, Map<String, String> headers, Instant expiresAt) {}

    /**
     * Signs a PUT of {@code objectKey} that S3 accepts only with {@code size} bytes whose SHA-256 is
     * {@code sha256Hex}, within {@link UploadSettings#urlTtl()}.
     *
     * @param contentType signed as {@code Content-Type} when not null (the client must send it)
     * @param contentEncoding signed as {@code Content-Encoding} when not null
     */
    PresignedPut presignPut(String objectKey, long size, String sha256Hex, String contentType, String contentEncoding) {
        PutObjectRequest.Builder put = PutObjectRequest.builder()
                .bucket(settings.bucket())
                .key(objectKey)
                .contentLength(size)
                .checksumSHA256(base64(sha256Hex))
                .metadata(Map.of(SHA256_METADATA, sha256Hex));
        if (contentType != null) put.contentType(contentType);
        if (contentEncoding != null) put.contentEncoding(contentEncoding);
        PresignedPutObjectRequest signed = presigner.presignPutObject(
                p -> p.signatureDuration(settings.urlTtl()).putObjectRequest(put.build()));
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.signedHeaders().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("host")) {
                headers.put(h.getKey(), String.join(",", h.getValue()));
            }
        }
        return new PresignedPut(signed.url().toString(), headers, signed.expiration());
    }

    /**
     * What the store holds under a key.
     *
     * @param size the object's length in bytes
     * @param sha256Hex the SHA-256 the store verified on the PUT (its checksum) or, for a store that
     *     keeps no checksums, the value signed into the URL's metadata; null when neither is there
     */
    record StoredObject(long size, String sha256Hex) {}

    /**
     * HEADs {@code objectKey}, up to {@link UploadSettings#headAttempts()} times while it is not
     * found.
     *
     * @return empty when the object does not exist
     * @throws SdkException when the store cannot be reached or refuses the request
     */
    Optional<StoredObject> head(String objectKey) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                HeadObjectResponse head = s3.headObject(
                        b -> b.bucket(settings.bucket()).key(objectKey).checksumMode(ChecksumMode.ENABLED));
                String sha = head.checksumSHA256() != null
                                && !head.checksumSHA256().contains("-")
                        ? HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(head.checksumSHA256()))
                        : head.metadata().get(SHA256_METADATA);
                return Optional.of(new StoredObject(head.contentLength(), sha));
            } catch (NoSuchKeyException e) {
                // fall through to the retry
            } catch (S3Exception e) {
                if (e.statusCode() != 404) throw e;
            }
            if (attempt >= settings.headAttempts()) {
                return Optional.empty();
            }
            Thread.sleep(settings.headRetryDelay().toMillis());
        }
    }

    /** The bucket uploads go to. */
    String bucket() {
        return settings.bucket();
    }

    /** {@code sha256Hex} (64 hex digits) as S3's checksum header wants it: base64 of the 32 bytes. */
    static String base64(String sha256Hex) {
        return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
    }

    @Override
    public void destroy() {
        presigner.close();
        s3.close();
    }
}
