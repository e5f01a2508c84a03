package dev.logai.localstack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible object store (s3proxy over a directory) on 127.0.0.1: clients speak the real
 * S3 protocol with SigV4, the objects are files under {@code dataDir}.
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "logai-local";
    public static final String SECRET_KEY = "logai-local-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final int port;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext context, int port) {
        this.proxy = proxy;
        this.context = context;
        this.port = port;
    }

    public static EmbeddedS3 start(Path dataDir, int port, String... buckets) throws Exception {
        Files.createDirectories(dataDir);
        int chosen = FreePorts.orPick(port);
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", dataDir.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2")
                .credentials(ACCESS_KEY, SECRET_KEY)
                .overrides(props)
                .build(BlobStoreContext.class);
        for (String bucket : buckets) {
            context.getBlobStore().createContainerInLocation(null, bucket);
        }
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + chosen))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                // The dashboard's browser PUTs uploads to pre-signed URLs from another origin
                // (127.0.0.1:3000): the signature is the credential, so any origin may send it.
                .corsRules(new CrossOriginResourceSharing(
                        List.of("*"), List.of("GET", "HEAD", "PUT"), List.of("*"), List.of("ETag"), "false"))
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start on 127.0.0.1:" + chosen);
            }
            Thread.sleep(20);
        }
        return new EmbeddedS3(proxy, context, chosen);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
