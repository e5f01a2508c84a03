package dev.logai.tools.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.logai.common.contract.KafkaClientOverrides;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The deployment files follow the rules of docs/operations.md, checked without a cluster, a cloud or a
 * Docker engine: Dockerfiles (base images, non-root, exec-form entrypoint), every Kubernetes manifest
 * (parses; probes, resources, non-root read-only containers, HPA and PDB per Deployment, default-deny
 * network policies, TLS + HSTS ingress, the FlinkDeployment's state and upgrade settings), every
 * object and rendered overlay against its published schema, the Terraform policy on HashiCorp's
 * parse (encryption, no public buckets, TLS-only RDS, no wildcard IAM actions), the
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
                // CPU and memory requests; a memory limit, no CPU limit (throttling a JVM hurts more than sharing spare
                // CPU)
                assertThat(c.at("/resources/requests/cpu").asText()).as(name).isNotEmpty();
                assertThat(c.at("/resources/requests/memory").asText()).as(name).isNotEmpty();
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
        // every workload that exports spans may reach the OTLP endpoint's port, and only that collector
        String otlpPort = java.net
                        .URI
                        .create(ofKind(docs, "ConfigMap").stream()
                                .filter(c -> c.at("/data/LOGAI_OTEL_ENDPOINT").isTextual())
                                .findFirst()
                                .orElseThrow()
                                .at("/data/LOGAI_OTEL_ENDPOINT")
                                .asText())
                        .getPort()
                + "";
        assertThat(ofKind(docs, "NetworkPolicy")).anySatisfy(p -> {
            assertThat(p.at("/spec/podSelector/matchExpressions/0/values").toString())
                    .contains("logai-ingest-gateway", "logai-query-api", "logai-pipeline");
            assertThat(p.at("/spec/egress/0/ports/0/port").asText()).isEqualTo(otlpPort);
            assertThat(p.at("/spec/egress/0/to/0/namespaceSelector").isObject()).isTrue();
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

    /**
     * The Terraform policy, on HashiCorp's own parse of every file ({@code check.mjs} → hcl2json: each
     * block is {@code {"resource": {TYPE: {NAME: [BODY]}}}}, expressions as {@code "${…}"} strings).
     * Every bucket is covered by SSE-KMS, versioning, all four public-access blocks and a TLS-only
     * policy; RDS is multi-AZ, CMK-encrypted, private and forces TLS; MSK is IAM-only over TLS; every
     * KMS key rotates, every secret and EBS volume is under a CMK; no security group is open to the
     * internet; no IAM statement grants a wildcard action or resource; the edge is HTTPS-only behind
     * a rate-limiting WAF; every variable and output is described.
     */
    @Test
    void terraformEncryptsEverythingKeepsBucketsPrivateForcesTlsAndGrantsNoWildcardActions() throws Exception {
        ParsedTerraform tf = new ParsedTerraform(deploymentChecks().terraform());
        // S3: every bucket (a for_each over the bucket resource covers all of its instances)
        Map<String, JsonNode> buckets = tf.resources("aws_s3_bucket");
        assertThat(buckets).isNotEmpty();
        for (String bucket : buckets.keySet()) {
            String all = "${aws_s3_bucket." + bucket + "}";
            JsonNode sse = tf.coveringAll("aws_s3_bucket_server_side_encryption_configuration", all);
            JsonNode byDefault = sse.at("/rule/0/apply_server_side_encryption_by_default/0");
            assertThat(byDefault.path("sse_algorithm").asText()).isEqualTo("aws:kms");
            assertThat(byDefault.path("kms_master_key_id").asText()).startsWith("${aws_kms_key.");
            assertThat(tf.coveringAll("aws_s3_bucket_versioning", all)
                            .at("/versioning_configuration/0/status")
                            .asText())
                    .isEqualTo("Enabled");
            JsonNode block = tf.coveringAll("aws_s3_bucket_public_access_block", all);
            for (String setting : List.of(
                    "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")) {
                assertThat(block.path(setting).asBoolean())
                        .as(bucket + " " + setting)
                        .isTrue();
            }
            assertThat(tf.coveringAll("aws_s3_bucket_policy", all)
                            .path("policy")
                            .asText())
                    .as("the bucket policy denies plain HTTP")
                    .contains("Effect    = \"Deny\"")
                    .containsPattern("\"aws:SecureTransport\"\\s*=\\s*\"false\"");
        }
        assertThat(tf.resources("aws_s3_bucket_acl"))
                .as("no ACLs (ownership enforced)")
                .isEmpty();
        assertThat(tf.resources("aws_s3_bucket_lifecycle_configuration")
                        .get("raw")
                        .at("/rule/0/expiration/0/days")
                        .asText())
                .isEqualTo("${var.raw_retention_days}");
        // RDS: multi-AZ, CMK, private, TLS forced by its parameter group
        Map<String, JsonNode> dbs = tf.resources("aws_db_instance");
        assertThat(dbs).isNotEmpty();
        for (JsonNode db : dbs.values()) {
            assertThat(db.path("storage_encrypted").asBoolean()).isTrue();
            assertThat(db.path("kms_key_id").asText()).startsWith("${aws_kms_key.");
            assertThat(db.path("multi_az").asBoolean()).isTrue();
            assertThat(db.path("publicly_accessible").asBoolean(true)).isFalse();
            JsonNode params = tf.referenced(db.path("parameter_group_name").asText(), "aws_db_parameter_group");
            Map<String, String> values = new HashMap<>();
            params.path("parameter")
                    .forEach(q ->
                            values.put(q.path("name").asText(), q.path("value").asText()));
            assertThat(values).containsEntry("rds.force_ssl", "1");
        }
        // MSK: IAM only, TLS between clients and brokers and inside the cluster, CMK at rest
        assertThat(tf.resources("aws_msk_cluster")).isNotEmpty();
        for (JsonNode msk : tf.resources("aws_msk_cluster").values()) {
            assertThat(msk.at("/client_authentication/0/unauthenticated").asBoolean(true))
                    .isFalse();
            assertThat(msk.at("/client_authentication/0/sasl/0/iam").asBoolean())
                    .isTrue();
            assertThat(msk.at("/encryption_info/0/encryption_in_transit/0/client_broker")
                            .asText())
                    .isEqualTo("TLS");
            assertThat(msk.at("/encryption_info/0/encryption_in_transit/0/in_cluster")
                            .asBoolean())
                    .isTrue();
            assertThat(msk.at("/encryption_info/0/encryption_at_rest_kms_key_arn")
                            .asText())
                    .startsWith("${aws_kms_key.");
        }
        // KMS keys rotate; secrets, EKS secrets and node volumes are under a CMK
        assertThat(tf.resources("aws_kms_key"))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy((name, key) -> assertThat(
                                key.path("enable_key_rotation").asBoolean())
                        .as(name)
                        .isTrue());
        assertThat(tf.resources("aws_secretsmanager_secret")).isNotEmpty();
        tf.resources("aws_secretsmanager_secret")
                .values()
                .forEach(
                        secret -> assertThat(secret.path("kms_key_id").asText()).startsWith("${aws_kms_key."));
        JsonNode eks = tf.module("eks");
        assertThat(eks.at("/cluster_encryption_config/provider_key_arn").asText())
                .startsWith("${aws_kms_key.");
        assertThat(eks.path("cluster_endpoint_private_access").asBoolean()).isTrue();
        assertThat(eks.path("eks_managed_node_groups").size()).isPositive();
        eks.path("eks_managed_node_groups").forEach(group -> {
            assertThat(group.path("block_device_mappings").size())
                    .as("node volumes declared")
                    .isPositive();
            group.path("block_device_mappings")
                    .forEach(disk ->
                            assertThat(disk.at("/ebs/encrypted").asBoolean()).isTrue());
        });
        // no security group admits the internet
        assertThat(tf.resources("aws_security_group")).isNotEmpty();
        assertThat(tf.resources("aws_vpc_security_group_ingress_rule"))
                .as("ingress rules live inside the checked security groups")
                .isEmpty();
        tf.resources("aws_security_group")
                .forEach((name, sg) -> sg.path("ingress")
                        .forEach(rule -> assertThat(rule.path("cidr_blocks").toString() + rule.path("ipv6_cidr_blocks"))
                                .as("security group " + name)
                                .doesNotContain("0.0.0.0/0", "::/0")));
        // IAM: every statement names its actions and resources, none a wildcard
        List<JsonNode> statements = new ArrayList<>();
        tf.data("aws_iam_policy_document")
                .values()
                .forEach(doc -> doc.path("statement").forEach(statements::add));
        assertThat(statements).hasSizeGreaterThan(10);
        for (JsonNode statement : statements) {
            assertThat(statement.has("not_actions") || statement.has("not_resources"))
                    .as("no NotAction/NotResource: " + statement)
                    .isFalse();
            assertThat(statement.path("actions")).as("actions of " + statement).isNotEmpty();
            statement
                    .path("actions")
                    .forEach(action ->
                            assertThat(action.asText()).as("no wildcard action").doesNotContain("*"));
            boolean assumeRole = statement.path("actions").toString().contains("sts:AssumeRoleWithWebIdentity");
            if (assumeRole) {
                // bound to exactly one service account of the logai namespace, for STS only
                List<String> bound = new ArrayList<>();
                statement.path("condition").forEach(c -> {
                    assertThat(c.path("test").asText())
                            .as("exact match, not StringLike")
                            .isEqualTo("StringEquals");
                    bound.add(c.path("variable").asText().replaceAll(".*:", "") + "="
                            + c.path("values").toString());
                });
                assertThat(bound)
                        .as("web identity bound to its service account")
                        .containsExactlyInAnyOrder(
                                "sub=[\"system:serviceaccount:logai:${each.key}\"]", "aud=[\"sts.amazonaws.com\"]");
            } else {
                // a list of ARNs, or one expression that yields them ([for s in … : s.arn])
                JsonNode resources = statement.path("resources");
                assertThat(
                                resources.isArray()
                                        ? resources.size()
                                        : resources.asText().length())
                        .as("resources of " + statement)
                        .isPositive();
                (resources.isArray() ? resources : List.of(resources))
                        .forEach(r -> assertThat(r.asText()).isNotEqualTo("*").doesNotContain("\"*\""));
            }
        }
        tf.resources("aws_iam_role_policy")
                .values()
                .forEach(policy -> assertThat(policy.path("policy").asText())
                        .as("inline role policies come from the checked policy documents")
                        .isEqualTo("${each.value}"));
        // edge: WAF rate limit; CloudFront HTTPS-only with TLS 1.2+ both ways
        assertThat(tf.resources("aws_wafv2_web_acl").values())
                .singleElement()
                .satisfies(acl ->
                        assertThat(acl.findValues("rate_based_statement")).isNotEmpty());
        JsonNode cdn =
                tf.resources("aws_cloudfront_distribution").values().iterator().next();
        assertThat(cdn.at("/default_cache_behavior/0/viewer_protocol_policy").asText())
                .isEqualTo("redirect-to-https");
        assertThat(cdn.at("/viewer_certificate/0/minimum_protocol_version").asText())
                .isEqualTo("TLSv1.2_2021");
        assertThat(cdn.at("/origin/0/custom_origin_config/0/origin_protocol_policy")
                        .asText())
                .isEqualTo("https-only");
        assertThat(cdn.path("web_acl_id").asText()).startsWith("${aws_wafv2_web_acl.");
        // every variable and output says what it is
        assertThat(tf.blocks("variable"))
                .isNotEmpty()
                .allSatisfy((name, v) -> assertThat(v.path("description").asText())
                        .as("variable " + name)
                        .isNotBlank());
        assertThat(tf.blocks("output"))
                .isNotEmpty()
                .allSatisfy((name, o) -> assertThat(o.path("description").asText())
                        .as("output " + name)
                        .isNotBlank());
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

    /** What {@code deploy/checks/check.mjs} printed, and the Terraform files as it parsed them. */
    record DeploymentChecks(String output, int exitCode, JsonNode terraform) {}

    private static DeploymentChecks checks;

    /**
     * Runs {@code deploy/checks/check.mjs} once: every Kubernetes object (the base, the overlays' own
     * files and each overlay rendered by kustomize) against its published JSON schema, every
     * Terraform file through HashiCorp's HCL2 parser, and every workflow through GitHub's parser.
     */
    static synchronized DeploymentChecks deploymentChecks() throws Exception {
        if (checks == null) {
            Path dir = ROOT.resolve("deploy/checks");
            assertThat(dir.resolve("node_modules"))
                    .as("the deployment checks' packages: run 'npm ci' in " + dir + " (./logai test does)")
                    .isDirectory();
            Path parsed = Files.createTempFile("terraform", ".json");
            Process p = new ProcessBuilder(
                            "node",
                            "check.mjs",
                            ROOT.resolve("k8s").toString(),
                            ROOT.resolve("terraform").toString(),
                            parsed.toString(),
                            ROOT.resolve(".github/workflows").toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            int code = p.waitFor();
            JsonNode tf = Files.size(parsed) > 0 ? new ObjectMapper().readTree(parsed.toFile()) : null;
            Files.deleteIfExists(parsed);
            checks = new DeploymentChecks(out, code, tf);
        }
        return checks;
    }

    @Test
    void kubernetesObjectsMatchTheirSchemasOverlaysRenderAndTerraformParsesAsHcl() throws Exception {
        DeploymentChecks c = deploymentChecks();
        assertThat(c.exitCode()).as(c.output()).isZero();
        assertThat(c.output())
                .contains(
                        "ok   base/ingest-gateway.yaml: apps/v1 Deployment logai-ingest-gateway",
                        "ok   base/flink-deployment.yaml: flink.apache.org/v1beta1 FlinkDeployment logai-pipeline",
                        "ok   rendered overlays/aws: flink.apache.org/v1beta1 FlinkDeployment logai-pipeline",
                        "ok   rendered overlays/strimzi: kafka.strimzi.io/v1beta2 Kafka logai",
                        "ok   terraform/rds.tf: parsed",
                        "ok   .github/workflows/ci.yml: valid workflow",
                        "ok   .github/workflows/deploy.yml: valid workflow",
                        "ok   .github/workflows/images.yml: valid workflow",
                        "all deployment files valid")
                .containsPattern("overlays/aws: \\d+ objects rendered")
                .containsPattern("overlays/strimzi: \\d+ objects rendered");
        assertThat(c.terraform().fieldNames()).toIterable().contains("rds.tf", "s3.tf", "iam.tf", "msk.tf");
    }

    /**
     * The aws overlay's Kafka settings (MSK with IAM auth) build real Kafka clients on the classpath
     * LogAi ships: the SASL mechanism, the login module and the callback handler all load and
     * configure. Nothing is sent (the MSK host does not resolve here; the clients are closed unused).
     * The built artifacts carry the same classes: the job jar and both services' jars.
     */
    @Test
    void theAwsOverlaysMskIamSettingsBuildKafkaClientsAndEveryArtifactCarriesTheAuthClasses() throws IOException {
        JsonNode config =
                YAML.readTree(ROOT.resolve("k8s/overlays/aws/config.yaml").toFile());
        Map<String, Object> props = new HashMap<>(KafkaClientOverrides.parse(
                config.at("/data/LOGAI_KAFKA_CLIENT_PROPERTIES").asText()));
        assertThat(props).containsEntry("sasl.mechanism", "AWS_MSK_IAM").containsEntry("security.protocol", "SASL_SSL");
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThat(producer.metrics()).isNotEmpty();
        }
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "logai-deployment-check");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            assertThat(consumer.metrics()).isNotEmpty();
        }
        String loginModule = "software/amazon/msk/auth/iam/IAMLoginModule.class";
        String webIdentity = "software/amazon/awssdk/services/sts/StsClient.class";
        try (JarFile job = new JarFile(builtJar("flink-jobs", "-job.jar").toFile())) {
            assertThat(job.getEntry(loginModule))
                    .as("the job jar has the MSK IAM login module")
                    .isNotNull();
            assertThat(job.getEntry(webIdentity))
                    .as("the job jar has STS (IRSA credentials)")
                    .isNotNull();
        }
        for (String service : List.of("ingest-gateway", "query-api")) {
            try (JarFile jar = new JarFile(builtJar(service, "-exec.jar").toFile())) {
                assertThat(jar.stream().map(e -> e.getName()))
                        .as(service + "'s jar")
                        .anyMatch(n -> n.matches("BOOT-INF/lib/aws-msk-iam-auth-[0-9.]+\\.jar"))
                        .anyMatch(n -> n.matches("BOOT-INF/lib/sts-[0-9.]+\\.jar"));
            }
        }
    }

    /** The one jar {@code module/target/*SUFFIX}; ./logai test builds every module before this test. */
    static Path builtJar(String module, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve(module).resolve("target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .toList();
            assertThat(jars)
                    .as(module + "/target/*" + suffix + " (./logai build)")
                    .hasSize(1);
            return jars.get(0);
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
