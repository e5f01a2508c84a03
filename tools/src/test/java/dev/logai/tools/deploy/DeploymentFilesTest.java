package dev.logai.tools.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment files follow the rules of docs/operations.md, checked without a cluster, a cloud or a
 * Docker engine: Dockerfiles (base images, non-root, exec-form entrypoint), every Kubernetes manifest
 * (parses; probes, resources, non-root read-only containers, HPA and PDB per Deployment, default-deny
 * network policies, TLS + HSTS ingress, the FlinkDeployment's state and upgrade settings), the
 * Terraform policy (encryption, no public buckets, TLS-only RDS, no wildcard IAM actions), the
 * workflows (ci runs exactly ./logai test, deploy waits for an approval) and the shell scripts
 * (shellcheck).
 */
class DeploymentFilesTest {
    static final Path ROOT = findRoot();
    static final ObjectMapper YAML = new YAMLMapper();

    static Path findRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("logai"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("the repository root (with ./logai) is not above "
                    + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }

    @Test
    void dockerfilesUseSmallBasesRunAsNonRootAndStartInExecForm() throws IOException {
        for (String service : List.of("ingest-gateway", "query-api")) {
            String f = read("deploy/docker/" + service + "/Dockerfile");
            assertThat(f).as(service).contains("FROM eclipse-temurin:17-jre\n");
            assertThat(userOf(f)).as(service).isEqualTo("10001:10001");
            assertThat(f)
                    .as(service)
                    .contains("COPY --chown=root:root --chmod=0444 " + service + "/target/" + service + "-*-exec.jar");
        }
        String flink = read("deploy/docker/flink/Dockerfile");
        assertThat(flink)
                .contains(
                        "FROM flink:2.2\n",
                        "/opt/flink/plugins/s3-fs-hadoop",
                        "metrics.reporter.prom.factory.class",
                        "flink-jobs/target/flink-jobs-*-job.jar");
        assertThat(userOf(flink)).isEqualTo("flink");
        String dashboard = read("deploy/docker/dashboard/Dockerfile");
        assertThat(dashboard).contains("FROM node:20-slim AS build", "npm ci");
        assertThat(userOf(dashboard)).isEqualTo("1000:1000");
        for (String f : List.of(
                read("deploy/docker/ingest-gateway/Dockerfile"),
                read("deploy/docker/query-api/Dockerfile"),
                dashboard)) {
            assertThat(f).containsPattern("(?m)^ENTRYPOINT \\[\"");
            assertThat(f).doesNotContainPattern("(?m)^ADD ").doesNotContain(":latest");
        }
    }

    /** The last USER of a Dockerfile: the user its container runs as. */
    static String userOf(String dockerfile) {
        Matcher m = Pattern.compile("(?m)^USER (\\S+)$").matcher(dockerfile);
        String user = null;
        while (m.find()) {
            user = m.group(1);
        }
        assertThat(user).as("a USER line").isNotNull().isNotIn("root", "0", "0:0");
        return user;
    }

    /** Every document of every YAML file under k8s/. */
    static List<JsonNode> manifests() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("k8s"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> it =
                        YAML.readerFor(JsonNode.class).readValues(new YAMLFactory().createParser(f.toFile()))) {
                    while (it.hasNext()) {
                        JsonNode doc = it.next();
                        if (doc != null && !doc.isNull()) {
                            assertThat(doc.path("kind").asText())
                                    .as(f + ": every document has a kind")
                                    .isNotEmpty();
                            docs.add(doc);
                        }
                    }
                }
            }
        }
        return docs;
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    @Test
    void kustomizationsListOnlyFilesThatExist() throws IOException {
        for (String dir : List.of("k8s/base", "k8s/overlays/aws", "k8s/overlays/strimzi")) {
            JsonNode k = YAML.readTree(
                    ROOT.resolve(dir).resolve("kustomization.yaml").toFile());
            for (JsonNode r : k.path("resources")) {
                assertThat(ROOT.resolve(dir).resolve(r.asText()))
                        .as(dir + " resource")
                        .exists();
            }
            for (JsonNode p : k.path("patches")) {
                if (p.has("path")) {
                    assertThat(ROOT.resolve(dir).resolve(p.path("path").asText()))
                            .as(dir + " patch")
                            .exists();
                }
            }
        }
    }

    @Test
    void everyDeploymentIsProbedBoundedHardenedScaledAndProtected() throws IOException {
        List<JsonNode> docs = manifests();
        List<JsonNode> deployments = ofKind(docs, "Deployment");
        assertThat(deployments)
                .extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("logai-ingest-gateway", "logai-query-api", "logai-dashboard");
        for (JsonNode d : deployments) {
            String name = d.at("/metadata/name").asText();
            JsonNode pod = d.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean())
                    .as(name)
                    .isTrue();
            assertThat(pod.at("/serviceAccountName").asText()).as(name).isEqualTo(name);
            assertThat(pod.path("topologySpreadConstraints")).as(name).isNotEmpty();
            for (JsonNode c : pod.path("containers")) {
                assertThat(c.at("/readinessProbe/httpGet/path").asText())
                        .as(name)
                        .isNotEmpty();
                assertThat(c.at("/livenessProbe/httpGet/path").asText())
                        .as(name)
                        .isNotEmpty();
                assertThat(c.at("/resources/requests/cpu").asText()).as(name).isNotEmpty();
                assertThat(c.at("/resources/limits/memory").asText()).as(name).isNotEmpty();
                assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                        .as(name)
                        .isTrue();
                assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
                        .as(name)
                        .isFalse();
                assertThat(c.at("/securityContext/capabilities/drop/0").asText())
                        .as(name)
                        .isEqualTo("ALL");
            }
            assertThat(ofKind(docs, "HorizontalPodAutoscaler"))
                    .as(name + " HPA")
                    .anySatisfy(
                            h -> assertThat(h.at("/spec/scaleTargetRef/name").asText())
                                    .isEqualTo(name));
            assertThat(ofKind(docs, "PodDisruptionBudget"))
                    .as(name + " PDB")
                    .anySatisfy(p -> assertThat(p.at("/spec/selector/matchLabels/app.kubernetes.io~1name")
                                    .asText())
                            .isEqualTo(name));
        }
        // the Java services' probes are the paths the services answer (application.yml)
        assertThat(deployments.stream()
                        .filter(d -> !d.at("/metadata/name").asText().equals("logai-dashboard")))
                .allSatisfy(d -> assertThat(d.at("/spec/template/spec/containers/0/readinessProbe/httpGet/path")
                                .asText())
                        .isEqualTo("/readyz"));
        assertThat(read("ingest-gateway/src/main/resources/application.yml")).contains("add-additional-paths: true");
        assertThat(read("query-api/src/main/resources/application.yml")).contains("add-additional-paths: true");
    }

    @Test
    void networkPoliciesDenyByDefaultAndTheIngressIsTlsWithHsts() throws IOException {
        List<JsonNode> docs = manifests();
        assertThat(ofKind(docs, "NetworkPolicy")).anySatisfy(p -> {
            assertThat(p.at("/spec/podSelector").size()).isZero();
            assertThat(p.at("/spec/policyTypes").toString()).contains("Ingress", "Egress");
            assertThat(p.at("/spec/ingress").isMissingNode()
                            && p.at("/spec/egress").isMissingNode())
                    .isTrue();
        });
        JsonNode ingress = ofKind(docs, "Ingress").get(0);
        assertThat(ingress.at("/spec/tls/0/secretName").asText()).isNotEmpty();
        assertThat(ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1hsts")
                        .asText())
                .isEqualTo("true");
        assertThat(ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1force-ssl-redirect")
                        .asText())
                .isEqualTo("true");
        assertThat(ofKind(docs, "ServiceMonitor")
                        .get(0)
                        .at("/spec/endpoints/0/path")
                        .asText())
                .isEqualTo("/actuator/prometheus");
        assertThat(ofKind(docs, "ExternalSecret")).isNotEmpty();
        assertThat(ofKind(docs, "KafkaNodePool").get(0).at("/spec/roles").toString())
                .contains("controller", "broker");
        assertThat(ofKind(docs, "Kafka")
                        .get(0)
                        .at("/metadata/annotations/strimzi.io~1kraft")
                        .asText())
                .isEqualTo("enabled");
    }

    @Test
    void theFlinkDeploymentRunsTheJobJarWithDurableStateAndKeepsItOnUpgrade() throws IOException {
        JsonNode f = ofKind(manifests(), "FlinkDeployment").get(0);
        assertThat(f.at("/apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(f.at("/spec/flinkVersion").asText()).isEqualTo("v2_2");
        assertThat(f.at("/spec/job/upgradeMode").asText()).isEqualTo("last-state");
        assertThat(f.at("/spec/job/entryClass").asText()).isEqualTo("dev.logai.flink.LogPipelineJob");
        assertThat(f.at("/spec/job/jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/logai-pipeline.jar");
        JsonNode conf = f.at("/spec/flinkConfiguration");
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("execution.checkpointing.dir").asText()).startsWith("s3://");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("high-availability.storageDir").asText()).startsWith("s3://");
        assertThat(conf.path("metrics.reporter.prom.factory.class").asText()).endsWith("PrometheusReporterFactory");
        assertThat(read("deploy/docker/flink/Dockerfile")).contains("/opt/flink/usrlib/logai-pipeline.jar");
        JsonNode dashboard = YAML.readTree(
                ROOT.resolve("k8s/base/grafana/logai-dashboard.json").toFile());
        assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(6);
    }

    /** The Terraform blocks of a kind: "resource \"TYPE\" \"NAME\" { … }", bodies by brace matching. */
    static List<String> blocks(String hcl, String header) {
        List<String> bodies = new ArrayList<>();
        Matcher m = Pattern.compile(Pattern.quote(header) + "[^{\\n]*\\{").matcher(hcl);
        while (m.find()) {
            int depth = 1;
            int i = m.end();
            while (depth > 0 && i < hcl.length()) {
                char c = hcl.charAt(i++);
                if (c == '{') depth++;
                else if (c == '}') depth--;
            }
            assertThat(depth).as("balanced braces after " + m.group()).isZero();
            bodies.add(hcl.substring(m.end(), i - 1));
        }
        return bodies;
    }

    static String terraform() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(ROOT.resolve("terraform"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
                String hcl = Files.readString(f);
                long open = hcl.chars().filter(c -> c == '{').count();
                assertThat(hcl.chars().filter(c -> c == '}').count())
                        .as(f + ": balanced braces")
                        .isEqualTo(open);
                all.append(hcl).append('\n');
            }
        }
        return all.toString();
    }

    @Test
    void terraformEncryptsEverythingKeepsBucketsPrivateForcesTlsAndGrantsNoWildcardActions() throws IOException {
        String tf = terraform();
        // S3: SSE-KMS with the CMK, versioning, all four public-access blocks, TLS-only policy, lifecycle
        assertThat(blocks(tf, "resource \"aws_s3_bucket_server_side_encryption_configuration\""))
                .singleElement()
                .satisfies(b -> assertThat(b)
                        .contains(
                                "for_each = aws_s3_bucket.logai",
                                "sse_algorithm     = \"aws:kms\"",
                                "kms_master_key_id = aws_kms_key.data.arn"));
        assertThat(blocks(tf, "resource \"aws_s3_bucket_versioning\""))
                .singleElement()
                .satisfies(b -> assertThat(b).contains("for_each = aws_s3_bucket.logai", "status = \"Enabled\""));
        assertThat(blocks(tf, "resource \"aws_s3_bucket_public_access_block\""))
                .singleElement()
                .satisfies(b -> assertThat(b)
                        .contains("for_each                = aws_s3_bucket.logai")
                        .containsPattern("block_public_acls\\s+= true")
                        .containsPattern("block_public_policy\\s+= true")
                        .containsPattern("ignore_public_acls\\s+= true")
                        .containsPattern("restrict_public_buckets\\s+= true"));
        assertThat(tf).doesNotContain("acl    = \"public").doesNotContainPattern("acl\\s*=\\s*\"public-read");
        assertThat(blocks(tf, "resource \"aws_s3_bucket_policy\""))
                .singleElement()
                .satisfies(b -> assertThat(b).contains("\"aws:SecureTransport\" = \"false\"", "Effect    = \"Deny\""));
        assertThat(blocks(tf, "resource \"aws_s3_bucket_lifecycle_configuration\" \"raw\""))
                .singleElement()
                .satisfies(b -> assertThat(b).contains("days = var.raw_retention_days"));
        // RDS: multi-AZ, CMK, private, TLS forced by the server
        assertThat(blocks(tf, "resource \"aws_db_instance\""))
                .singleElement()
                .satisfies(b -> assertThat(b)
                        .containsPattern("storage_encrypted\\s+= true")
                        .containsPattern("kms_key_id\\s+= aws_kms_key.data.arn")
                        .containsPattern("multi_az\\s+= true")
                        .containsPattern("publicly_accessible\\s+= false"));
        assertThat(blocks(tf, "resource \"aws_db_parameter_group\""))
                .singleElement()
                .satisfies(b -> assertThat(b).containsPattern("name\\s+= \"rds.force_ssl\"\\s+value\\s+= \"1\""));
        // MSK: IAM only, TLS in transit, CMK at rest
        assertThat(blocks(tf, "resource \"aws_msk_cluster\""))
                .singleElement()
                .satisfies(b -> assertThat(b)
                        .contains(
                                "unauthenticated = false",
                                "iam = true",
                                "client_broker = \"TLS\"",
                                "encryption_at_rest_kms_key_arn = aws_kms_key.data.arn"));
        // KMS rotation, secrets under the secrets CMK
        assertThat(blocks(tf, "resource \"aws_kms_key\""))
                .hasSize(2)
                .allSatisfy(b -> assertThat(b).containsPattern("enable_key_rotation\\s+= true"));
        assertThat(blocks(tf, "resource \"aws_secretsmanager_secret\""))
                .singleElement()
                .satisfies(b -> assertThat(b).contains("kms_key_id              = aws_kms_key.secrets.arn"));
        // IAM: no wildcard action, every statement names its resources
        List<String> statements = blocks(tf, "\n  statement"); // IAM policy documents, not WAF rules
        assertThat(statements).hasSizeGreaterThan(10);
        for (String s : statements) {
            Matcher actions = Pattern.compile("actions\\s+=\\s+\\[([^\\]]*)\\]").matcher(s);
            assertThat(actions.find()).as("statement with actions: " + s).isTrue();
            assertThat(actions.group(1))
                    .as("no wildcard action")
                    .doesNotContain("\"*\"")
                    .doesNotContainPattern("\"[a-z0-9-]+:\\*\"");
            if (!s.contains("sts:AssumeRoleWithWebIdentity")) {
                assertThat(s)
                        .as("resources named")
                        .containsPattern("resources\\s+=")
                        .doesNotContainPattern("resources\\s+= \\[\"\\*\"\\]");
            }
        }
        // edge: WAF rate limit and TLS 1.2+ only at CloudFront
        assertThat(blocks(tf, "resource \"aws_wafv2_web_acl\""))
                .singleElement()
                .satisfies(b -> assertThat(b).contains("rate_based_statement"));
        assertThat(blocks(tf, "resource \"aws_cloudfront_distribution\""))
                .singleElement()
                .satisfies(b -> assertThat(b)
                        .contains(
                                "viewer_protocol_policy   = \"redirect-to-https\"",
                                "minimum_protocol_version = \"TLSv1.2_2021\"",
                                "origin_protocol_policy = \"https-only\""));
        // every variable and output says what it is
        for (String v : blocks(tf, "variable \"")) assertThat(v).contains("description");
        for (String o : blocks(tf, "output \"")) assertThat(o).contains("description");
    }

    @Test
    void workflowsRunTheReadmesTestCommandAndDeployOnlyAfterApproval() throws IOException {
        JsonNode ci = YAML.readTree(ROOT.resolve(".github/workflows/ci.yml").toFile());
        List<String> runs = new ArrayList<>();
        ci.at("/jobs/test/steps").forEach(s -> runs.add(s.path("run").asText()));
        assertThat(runs).contains("./logai test");
        assertThat(read(".ci/run")).contains("\n./logai test\n");
        assertThat(read("README.md")).contains("./logai test");
        for (String name : List.of("ci", "images", "deploy")) {
            JsonNode wf = YAML.readTree(
                    ROOT.resolve(".github/workflows/" + name + ".yml").toFile());
            assertThat(wf.path("on").isMissingNode() && wf.path("true").isMissingNode())
                    .as(name + " has triggers")
                    .isFalse();
            assertThat(wf.path("jobs").size()).as(name).isPositive();
            wf.path("jobs").forEach(job -> {
                assertThat(job.path("runs-on").asText()).as(name).isNotEmpty();
                assertThat(job.path("steps").size()).as(name).isPositive();
                job.path("steps")
                        .forEach(step -> assertThat(step.has("uses") || step.has("run"))
                                .as(name + " step")
                                .isTrue());
            });
        }
        JsonNode deploy =
                YAML.readTree(ROOT.resolve(".github/workflows/deploy.yml").toFile());
        assertThat(deploy.at("/jobs/deploy/environment").asText()).isEqualTo("production");
    }

    /**
     * Every Kubernetes object against its published JSON schema, the overlays rendered by kubectl
     * kustomize where kubectl is installed, and every Terraform file through HashiCorp's HCL2 parser
     * ({@code deploy/checks/check.mjs}); then the policy again on the parsed Terraform, structurally.
     */
    @Test
    void kubernetesObjectsMatchTheirSchemasAndTerraformParsesAsHcl() throws Exception {
        Path checks = ROOT.resolve("deploy/checks");
        assertThat(checks.resolve("node_modules"))
                .as("the deployment checks' packages: run 'npm ci' in " + checks + " (./logai test does)")
                .isDirectory();
        Path parsed = Files.createTempFile("terraform", ".json");
        Process p = new ProcessBuilder(
                        "node",
                        "check.mjs",
                        ROOT.resolve("k8s").toString(),
                        ROOT.resolve("terraform").toString(),
                        parsed.toString())
                .directory(checks.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("ok   base/ingest-gateway.yaml: apps/v1 Deployment logai-ingest-gateway");

        JsonNode tf = new ObjectMapper().readTree(parsed.toFile());
        JsonNode rds = tf.path("rds.tf").path("resource");
        JsonNode forceSsl =
                rds.path("aws_db_parameter_group").elements().next().get(0).path("parameter");
        assertThat(forceSsl.findValuesAsText("name")).contains("rds.force_ssl");
        JsonNode db = rds.path("aws_db_instance").elements().next().get(0);
        assertThat(db.path("storage_encrypted").asBoolean()).isTrue();
        assertThat(db.path("publicly_accessible").asBoolean(true)).isFalse();
        JsonNode block = tf.path("s3.tf")
                .path("resource")
                .path("aws_s3_bucket_public_access_block")
                .elements()
                .next()
                .get(0);
        for (String setting :
                List.of("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")) {
            assertThat(block.path(setting).asBoolean()).as(setting).isTrue();
        }
    }

    @Test
    void shellScriptsPassShellcheck() throws Exception {
        List<String> command = new ArrayList<>(List.of("shellcheck", "-S", "warning", "logai", ".ci/run"));
        Process p = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
