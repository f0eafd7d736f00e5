// Checks Kubernetes YAML (every document of each FILE) against the Kubernetes OpenAPI schemas,
// offline: the validators of the npm package kubernetes-models (generated from the Kubernetes
// OpenAPI spec, pinned in package.json/package-lock.json), made strict: a field the schema does
// not declare is an error, as `kubectl apply --validate=strict` reports it. Then a few rules the
// API server checks beyond the schema (names, references between fields).
//   node validate.mjs FILE...              exit 0: all valid; 1: errors (printed); 2: usage, unreadable file
//   node validate.mjs --rejected FILE...   exit 0: each fails with its `# expect:` text
//
// Strictness: the generated validators read each declared property of an object (`data.name`)
// and every key of a map (labels, annotations); an own key that no validator read is a field the
// schema does not have. A Proxy records the reads.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

import { validate as pod } from "kubernetes-models/_schemas/IoK8sApiCoreV1Pod";
import { validate as service } from "kubernetes-models/_schemas/IoK8sApiCoreV1Service";
import { validate as pvc } from "kubernetes-models/_schemas/IoK8sApiCoreV1PersistentVolumeClaim";
import { validate as secret } from "kubernetes-models/_schemas/IoK8sApiCoreV1Secret";
import { validate as configMap } from "kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap";
import { validate as deployment } from "kubernetes-models/_schemas/IoK8sApiAppsV1Deployment";
import { validate as job } from "kubernetes-models/_schemas/IoK8sApiBatchV1Job";

const VALIDATORS = {
  "v1/Pod": pod,
  "v1/Service": service,
  "v1/PersistentVolumeClaim": pvc,
  "v1/Secret": secret,
  "v1/ConfigMap": configMap,
  "apps/v1/Deployment": deployment,
  "batch/v1/Job": job,
};

// Runs `validate` on a Proxy of `doc`; returns the schema errors and the undeclared fields.
function strictValidate(validate, doc) {
  const reads = new Map();  // object → { path, keys read }
  const proxies = new WeakMap();
  const track = (value, path) => {
    if (value === null || typeof value !== "object") return value;
    if (proxies.has(value)) return proxies.get(value);
    reads.set(value, { path, keys: new Set() });
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key !== "string" || !Object.hasOwn(target, key)) return v;
        reads.get(target).keys.add(key);
        return track(v, `${path}/${key}`);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  const ok = validate(track(doc, ""));
  const errors = ok ? [] : validate.errors.map((e) =>
    `${e.instancePath || "/"}: ${e.keyword} ${JSON.stringify(e.params)}`);
  for (const [value, { path, keys }] of reads) {
    if (Array.isArray(value)) continue;
    for (const key of Object.keys(value))
      if (!keys.has(key)) errors.push(`${path}/${key}: unknown field "${key}"`);
  }
  return errors;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;  // IANA_SVC_NAME, 15 at most, a letter in it

function label(value, what, errors, re = DNS1123_LABEL) {
  if (typeof value !== "string" || value.length > 63 || !re.test(value))
    errors.push(`${what}: ${JSON.stringify(value)} is not a valid name`);
}

// The API server's checks of a Pod spec that the schema cannot express.
function checkPodSpec(spec, at, errors) {
  if (!spec || typeof spec !== "object") return;
  const names = new Set();
  const volumes = new Set();
  for (const v of spec.volumes ?? []) {
    label(v.name, `${at}/volumes ${v.name}`, errors);
    if (volumes.has(v.name)) errors.push(`${at}/volumes: ${v.name} twice`);
    volumes.add(v.name);
  }
  for (const list of ["initContainers", "containers"]) {
    for (const c of spec[list] ?? []) {
      label(c.name, `${at}/${list} ${c.name}`, errors);
      if (names.has(c.name)) errors.push(`${at}/${list}: container name ${c.name} twice`);
      names.add(c.name);
      if (!c.image) errors.push(`${at}/${list} ${c.name}: no image`);
      for (const m of c.volumeMounts ?? [])
        if (!volumes.has(m.name)) errors.push(`${at}/${list} ${c.name}: mounts unknown volume ${m.name}`);
      if (list === "initContainers" && (c.readinessProbe || c.livenessProbe || c.startupProbe))
        errors.push(`${at}/initContainers ${c.name}: an init container takes no probes`);
      for (const p of c.ports ?? [])
        if (p.name !== undefined && (p.name.length > 15 || !PORT_NAME.test(p.name) || !/[a-z]/.test(p.name)))
          errors.push(`${at}/${list} ${c.name}: port name ${p.name}`);
    }
  }
  if (!(spec.containers ?? []).length) errors.push(`${at}/containers: none`);
}

function checkDocument(doc, errors) {
  const kind = doc.kind;
  const name = doc.metadata?.name;
  if (kind === "Service") label(name, "/metadata/name (a Service name is a DNS-1035 label)", errors, DNS1035_LABEL);
  else if (typeof name !== "string" || name.length > 253 || !DNS1123_SUBDOMAIN.test(name))
    errors.push(`/metadata/name: ${JSON.stringify(name)} is not a DNS-1123 subdomain`);
  if (kind === "Pod") checkPodSpec(doc.spec, "/spec", errors);
  if (kind === "Deployment" || kind === "Job") {
    const tmpl = doc.spec?.template;
    checkPodSpec(tmpl?.spec, "/spec/template/spec", errors);
    const selector = doc.spec?.selector?.matchLabels ?? {};
    for (const [k, v] of Object.entries(selector))
      if (tmpl?.metadata?.labels?.[k] !== v)
        errors.push(`/spec/selector: ${k}=${v} does not match the template's labels`);
    if (kind === "Deployment" && tmpl?.spec?.restartPolicy && tmpl.spec.restartPolicy !== "Always")
      errors.push("/spec/template/spec/restartPolicy: a Deployment takes only Always");
    if (kind === "Job" && !["Never", "OnFailure"].includes(tmpl?.spec?.restartPolicy))
      errors.push("/spec/template/spec/restartPolicy: a Job takes Never or OnFailure");
  }
  if (kind === "Service") {
    const ports = doc.spec?.ports ?? [];
    const seen = new Set();
    for (const p of ports) {
      if (ports.length > 1 && p.name === undefined) errors.push("/spec/ports: a name is needed when there are several");
      if (p.name !== undefined) label(p.name, "/spec/ports name", errors);
      if (seen.has(p.name)) errors.push(`/spec/ports: name ${p.name} twice`);
      seen.add(p.name);
    }
  }
}

// Every document of a file: its errors ("document N (Kind name): ..."), and how many there were.
function checkFile(file) {
  const text = readFileSync(file, "utf8");
  const errors = [];
  let count = 0;
  for (const [i, d] of parseAllDocuments(text, { uniqueKeys: true }).entries()) {
    const where = `document ${i + 1}`;
    if (d.errors.length) {
      errors.push(`${where}: YAML: ${d.errors[0].message}`);
      continue;
    }
    const doc = d.toJS();
    if (doc === null || doc === undefined) continue;
    count++;
    const key = `${doc.apiVersion}/${doc.kind}`;
    const validate = VALIDATORS[key];
    const found = validate ? strictValidate(validate, doc) : [`no schema for ${key}`];
    if (validate) checkDocument(doc, found);
    for (const e of found) errors.push(`${where} (${doc.kind} ${doc.metadata?.name}): ${e}`);
  }
  if (!count) errors.push("no documents");
  return { count, errors };
}

// --rejected FILE...: each file must fail, with the text of its first line's `# expect: TEXT`
// among the errors (tests/kube/openapi/rejected: the proof that the check can fail).
const args = process.argv.slice(2);
const rejected = args[0] === "--rejected";
const files = rejected ? args.slice(1) : args;
if (!files.length) {
  console.error("usage: node validate.mjs [--rejected] FILE...");
  process.exit(2);
}
let bad = 0;
for (const file of files) {
  let result;
  try {
    result = checkFile(file);
  } catch (e) {
    console.error(`${file}: ${e.message}`);
    process.exit(2);
  }
  if (rejected) {
    const expect = readFileSync(file, "utf8").match(/^# expect: (.*)$/m)?.[1];
    if (!expect) {
      bad++;
      console.error(`${file}: no '# expect:' line`);
    } else if (!result.errors.length) {
      bad++;
      console.error(`${file}: accepted, should fail with: ${expect}`);
    } else if (!result.errors.some((e) => e.includes(expect))) {
      bad++;
      console.error(`${file}: failed, but without '${expect}':\n  ${result.errors.join("\n  ")}`);
    } else {
      console.log(`rejected as expected: ${file}`);
    }
    continue;
  }
  if (result.errors.length) bad++;
  for (const e of result.errors) console.error(`${file}: ${e}`);
  console.log(`${result.errors.length ? "checked" : "valid"}: ${file} (${result.count} documents)`);
}
process.exit(bad ? 1 : 0);
