// Checks the deployment files before anyone applies them:
//  1. every object in deploy/kubernetes/*.yaml against the Kubernetes API schemas (kubernetes-models: the
//     OpenAPI schemas compiled for ajv) — types, required fields, enums, formats;
//  2. no field the API does not know (a typo such as "imagePullPolcy" is silently ignored by kubectl), read off
//     the same package's type declarations;
//  3. the references between them: selectors and pod labels, Service and Ingress ports, the HPA's and PDB's
//     targets, named probe ports, the kustomization's resource list, and the drain budget (a grace period that
//     covers preStop + DRAIN_TIMEOUT_SECONDS + 5 s);
//  4. the Dockerfile: dockerfile-utils' validator (the VS Code Docker extension's) plus what this image
//     promises: several stages, a non-root USER, an exec-form ENTRYPOINT, the port it EXPOSEs.
// Usage: node deploy/check/check.mjs [manifest-dir] [Dockerfile]   (npm ci in deploy/check first; .ci/run does).
// Prints one FAIL line per problem and a closing "N passed, N failed" line; exit code 1 on any problem.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { validate as validateDockerfile } from "dockerfile-utils";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
// Arguments (for the tests, which check broken copies): the manifests' directory and the Dockerfile.
const kubeDir = resolve(process.argv[2] ?? join(root, "deploy", "kubernetes"));
const dockerfilePath = resolve(process.argv[3] ?? join(root, "Dockerfile"));
const require = createRequire(import.meta.url);
const problems = [];
let checked = 0;

function problem(where, message) {
  problems.push(`${where}: ${message}`);
}

// ---- 1 and 2: schemas and unknown fields ----

/** "apps/v1" -> "kubernetes-models/apps/v1"; "v1" -> "kubernetes-models/v1". */
function modelOf(apiVersion, kind) {
  const module = `kubernetes-models/${apiVersion}`;
  try {
    const Model = require(module)[kind];
    return Model ? { Model, dts: require.resolve(`${module}/${kind}`).replace(/\.js$/, ".d.ts") } : null;
  } catch {
    return null;
  }
}

const interfaces = new Map(); // .d.ts file -> { props: Map(name -> type), imports: Map(alias -> file) }

function readInterface(file) {
  if (interfaces.has(file)) return interfaces.get(file);
  const text = readFileSync(file, "utf8");
  const imports = new Map();
  for (const m of text.matchAll(/import \{ (\w+) \} from "([^"]+)";/g)) {
    const target = m[2].startsWith(".") ? resolve(dirname(file), m[2]) : require.resolve(m[2]).replace(/\.js$/, "");
    imports.set(m[1], target.endsWith(".d.ts") ? target : `${target}.d.ts`);
  }
  const body = text.match(/export interface I\w+( extends [^{]+)? \{([\s\S]*?)\n\}/);
  const props = new Map();
  if (body) {
    if (body[1]?.includes("TypeMeta")) ["apiVersion", "kind"].forEach((k) => props.set(k, "string"));
    // A property's type is on its line ("Array<IX>", "IX", "string", ...) or opens a map type ("{").
    for (const m of body[2].matchAll(/^\s{4}"([^"]+)"\??: (.*?);?$/gm)) props.set(m[1], m[2]);
  }
  const info = { props, imports };
  interfaces.set(file, info);
  return info;
}

/** Walks a value along its declared type, reporting keys the type does not declare. */
function checkKnownFields(value, file, path, where) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  const { props, imports } = readInterface(file);
  if (props.size === 0) return; // free-form (e.g. a map) or a type we cannot read: nothing to say
  for (const [key, child] of Object.entries(value)) {
    const type = props.get(key);
    if (type === undefined) {
      problem(where, `unknown field ${path}${key}`);
      continue;
    }
    const ref = type.match(/^(?:Array<)?(\w+)>?$/);
    const target = ref && imports.get(ref[1]);
    if (!target || !existsSync(target)) continue;
    if (type.startsWith("Array<")) {
      if (Array.isArray(child)) child.forEach((item, i) => checkKnownFields(item, target, `${path}${key}[${i}].`, where));
    } else {
      checkKnownFields(child, target, `${path}${key}.`, where);
    }
  }
}

const objects = [];
const files = readdirSync(kubeDir).filter((f) => f.endsWith(".yaml")).sort();
for (const file of files) {
  const text = readFileSync(join(kubeDir, file), "utf8");
  parseAllDocuments(text).forEach((doc, index) => {
    const where = `${file}#${index + 1}`;
    if (doc.errors.length) {
      problem(where, `YAML: ${doc.errors[0].message}`);
      return;
    }
    const obj = doc.toJS();
    if (!obj) return;
    checked++;
    if (obj.kind === "Kustomization") {
      objects.push({ obj, where, file });
      return;
    }
    const model = modelOf(obj.apiVersion, obj.kind);
    if (!model) {
      problem(where, `unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
      return;
    }
    try {
      new model.Model(obj).validate();
    } catch (e) {
      problem(where, `${obj.kind} ${obj.metadata?.name}: ${e.message}`);
    }
    checkKnownFields(obj, model.dts, "", `${where} ${obj.kind} ${obj.metadata?.name}`);
    objects.push({ obj, where, file });
  });
}

// ---- 3: references between the objects ----

const byKind = (kind) => objects.filter((o) => o.obj.kind === kind);
const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v) && Object.keys(selector ?? {}).length > 0;

for (const { obj, where } of byKind("Deployment")) {
  const labels = obj.spec.template.metadata?.labels;
  if (!matches(obj.spec.selector.matchLabels, labels)) problem(where, `selector does not match the pod labels`);
  for (const c of obj.spec.template.spec.containers) {
    const ports = new Set((c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
    for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
      const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
      if (port !== undefined && !ports.has(port)) problem(where, `${c.name}.${probe} uses port ${port}, not declared`);
    }
    // The drain budget: preStop sleep + the node's drain deadline + close handshakes (2 s) and leaving must end
    // before the kubelet's SIGKILL, or clients lose their requests in flight.
    const drain = (c.env ?? []).find((e) => e.name === "DRAIN_TIMEOUT_SECONDS");
    if (drain) {
      const cmd = c.lifecycle?.preStop?.exec?.command ?? [];
      const preStop = cmd[0] === "sleep" ? Number(cmd[1]) : 0;
      const grace = obj.spec.template.spec.terminationGracePeriodSeconds ?? 30;
      const need = preStop + Number(drain.value) + 5;
      if (!(Number(drain.value) >= 0)) problem(where, `${c.name}: DRAIN_TIMEOUT_SECONDS is not a number`);
      else if (grace < need) {
        problem(where, `terminationGracePeriodSeconds ${grace} < preStop ${preStop} s + drain ${drain.value} s + 5 s`);
      }
    }
  }
}
const podsOf = (selector) =>
  byKind("Deployment").filter((d) => matches(selector, d.obj.spec.template.metadata?.labels));
const services = new Map(byKind("Service").map((s) => [s.obj.metadata.name, s]));
for (const { obj, where } of byKind("Service")) {
  const pods = podsOf(obj.spec.selector);
  if (pods.length === 0) problem(where, `Service ${obj.metadata.name} selects no Deployment's pods`);
  for (const p of obj.spec.ports) {
    const ok = pods.some((d) => d.obj.spec.template.spec.containers.some((c) =>
      (c.ports ?? []).some((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort)));
    if (!ok) problem(where, `Service ${obj.metadata.name} port ${p.name} targets ${p.targetPort}, which no pod has`);
  }
}
for (const { obj, where } of byKind("Ingress")) {
  for (const rule of obj.spec.rules ?? []) {
    for (const path of rule.http?.paths ?? []) {
      const svc = services.get(path.backend.service?.name);
      const port = path.backend.service?.port;
      if (!svc) problem(where, `path ${path.path} goes to unknown Service ${path.backend.service?.name}`);
      else if (!svc.obj.spec.ports.some((p) => p.name === port?.name || p.port === port?.number)) {
        problem(where, `path ${path.path} uses a port Service ${svc.obj.metadata.name} does not have`);
      }
    }
  }
}
for (const { obj, where } of byKind("HorizontalPodAutoscaler")) {
  const t = obj.spec.scaleTargetRef;
  if (!objects.some((o) => o.obj.kind === t.kind && o.obj.metadata?.name === t.name)) {
    problem(where, `scales unknown ${t.kind} ${t.name}`);
  }
  if (obj.spec.minReplicas < 2) problem(where, "minReplicas below 2 leaves no node during a drain");
}
for (const { obj, where } of byKind("PodDisruptionBudget")) {
  if (podsOf(obj.spec.selector.matchLabels).length === 0) problem(where, "selects no Deployment's pods");
}
for (const { obj, where } of byKind("Kustomization")) {
  const listed = new Set(obj.resources ?? []);
  for (const f of files.filter((f) => f !== "kustomization.yaml")) {
    if (!listed.has(f)) problem(where, `${f} is not in resources`);
  }
  for (const r of listed) if (!files.includes(r)) problem(where, `resource ${r} does not exist`);
}

// ---- 4: the Dockerfile ----

const dockerfile = readFileSync(dockerfilePath, "utf8");
checked++;
for (const d of validateDockerfile(dockerfile)) {
  problem(`Dockerfile:${d.range.start.line + 1}`, `${d.severity === 1 ? "error" : "warning"}: ${d.message}`);
}
const instructions = dockerfile.split("\n").filter((l) => /^[A-Z]+\s/.test(l));
const froms = instructions.filter((l) => l.startsWith("FROM "));
const lastStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
if (froms.length < 2) problem("Dockerfile", "not a multi-stage build");
const user = lastStage.match(/^USER\s+(\S+)/m);
if (!user || /^(root|0)(:|$)/.test(user[1])) problem("Dockerfile", "the final stage must run as a non-root USER");
if (!/^ENTRYPOINT \[/m.test(lastStage)) problem("Dockerfile", "ENTRYPOINT must use the exec form, so the JVM gets SIGTERM");
if (!/^EXPOSE 8080$/m.test(lastStage)) problem("Dockerfile", "EXPOSE 8080 expected (the manifests' containerPort)");
if (!/MaxRAMPercentage/.test(lastStage)) problem("Dockerfile", "the JVM should size its heap from the container limit");

// One verdict per Kubernetes object and one for the Dockerfile.
const failed = new Set(problems.map((p) => p.split(/[: ]/)[0]));
for (const p of problems) console.log(`FAIL ${p}`);
console.log(`${checked - failed.size} passed, ${failed.size} failed`);
process.exit(problems.length ? 1 : 0);
