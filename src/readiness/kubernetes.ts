import { requireEsmBundle, STRIMZI_GROUP, strimziV1, strimziVersionProblem } from '../../modules/msk/strimzi-models';
import { decodeJsonencode } from './jsonencode';
import type { CheckResult, Finding, Proven, ReadinessCheck, TerraformJson } from './types';

/**
 * Deploy readiness, Kubernetes part: every Kubernetes object the workloads stacks create validates
 * against the schema of the API version actually installed.
 *
 * Objects read from each stack's synthesized JSON:
 * - `kubernetes_manifest` resources (`manifest`);
 * - the `objects` passed as values to a local chart that prints them (charts/kafka-replication), as
 *   JSON or as `jsonencode(...)` of them when they hold references;
 * - typed `kubernetes_*_v1` resources of the kinds in TYPED_KINDS, converted back to the object the
 *   Kubernetes provider sends (snake_case blocks to camelCase fields).
 *
 * Schemas: Strimzi (`kafka.strimzi.io`) objects must be served by the pinned operator chart
 * (STRIMZI_RELEASES) and pass @kubernetes-models/strimzi-kafka-operator; core and other built-in
 * objects pass `kubernetes-models`; `monitoring.coreos.com` objects pass
 * `@kubernetes-models/prometheus-operator`. The model validators accept unknown fields (a CRD prunes
 * them silently, so a misspelt field is lost), so unknown fields are found by watching which
 * properties the validator reads: a field of an object the validator inspected but never read is
 * not in the schema. Free-form maps (read as a whole, e.g. a connector `config`) are not descended.
 *
 * Terraform interpolations (`${...}`) are unknown until apply: a schema error on such a value is not
 * a finding (the row says how many values were left to apply time).
 *
 * Not covered: objects a chart renders from its own templates (vendor charts, the ClickHouse and
 * target-group-binding local charts): they need `helm template`, which is not run at synth.
 */

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(): void };
}

interface ValidationErrorLike {
  readonly message: string;
  readonly errors?: readonly { instancePath: string; message?: string; keyword: string; params?: unknown }[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One Kubernetes object found in a stack, with where it came from. */
export interface FoundObject {
  readonly stack: string;
  /** Terraform address (and index in the values), e.g. `helm_release.x objects[2]`. */
  readonly source: string;
  readonly object: JsonObject;
}

let coreModels: Map<string, ModelClass> | undefined;

/** The built-in and monitoring models by `apiVersion/kind` (bundled from the ESM-only packages once). */
function models(): Map<string, ModelClass> {
  if (!coreModels) {
    const core = requireEsmBundle<Record<string, ModelClass>>(
      'kubernetes-models',
      [
        "export { ConfigMap, Secret, ServiceAccount, Namespace, Service, PersistentVolumeClaim } from 'kubernetes-models/v1';",
        "export { Job, CronJob } from 'kubernetes-models/batch/v1';",
        "export { Deployment, StatefulSet, DaemonSet } from 'kubernetes-models/apps/v1';",
        "export { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';",
        "export { Role, RoleBinding, ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';",
        "export { StorageClass } from 'kubernetes-models/storage.k8s.io/v1';",
        "export { PodDisruptionBudget } from 'kubernetes-models/policy/v1';",
        "export { PodMonitor, ServiceMonitor, PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';",
      ].join('\n'),
    );
    coreModels = new Map(
      [...Object.values(core), ...Object.values(strimziV1() as unknown as Record<string, ModelClass>)].map((m) => [
        `${m.apiVersion}/${m.kind}`,
        m,
      ]),
    );
  }
  return coreModels;
}

/** Where each model comes from, for the evidence column. */
function schemaSource(apiVersion: string, operatorVersion: string): string {
  if (apiVersion.startsWith(`${STRIMZI_GROUP}/`))
    return `@kubernetes-models/strimzi-kafka-operator (Strimzi 1.0.0 CRD schema; operator ${operatorVersion} serves it)`;
  if (apiVersion.startsWith('monitoring.coreos.com/')) return '@kubernetes-models/prometheus-operator';
  return 'kubernetes-models (Kubernetes built-in API)';
}

const INTERPOLATION = /(^|[^$])\$\{/;
/** A string Terraform fills in at apply time (`$${` is an escaped literal). */
const unresolved = (value: unknown): boolean => typeof value === 'string' && INTERPOLATION.test(value);

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(root: Json, pointer: string): Json | undefined {
  let node: Json | undefined = root;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return node;
}

interface Access {
  readonly read: Set<string>;
  enumerated: boolean;
}

/** Runs the model's validator on a proxy of the object, recording which properties it reads. */
function validateWatching(model: ModelClass, object: JsonObject): { errors: string[]; access: Map<Json, Access> } {
  const access = new Map<Json, Access>();
  const proxies = new WeakMap<object, unknown>();
  const record = (target: Json) => {
    let a = access.get(target);
    if (!a) access.set(target, (a = { read: new Set(), enumerated: false }));
    return a;
  };
  const wrap = (value: Json): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const existing = proxies.get(value);
    if (existing) return existing;
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string' && !Array.isArray(target)) record(target).read.add(key);
        const v = Reflect.get(target, key, receiver) as Json;
        return typeof key === 'string' ? wrap(v) : v;
      },
      has(target, key) {
        if (typeof key === 'string' && !Array.isArray(target)) record(target).read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        if (!Array.isArray(target)) record(target).enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  try {
    model.prototype.validate.call(wrap(object));
    return { errors: [], access };
  } catch (e) {
    const error = e as ValidationErrorLike;
    const errors = (error.errors ?? [{ instancePath: '', message: error.message, keyword: '' }])
      .filter((err) => !unresolved(at(object, err.instancePath)))
      .map((err) => `${err.instancePath || '/'} ${err.message ?? err.keyword}`);
    return { errors, access };
  }
}

/** Fields the validator never read in objects whose other fields it did read: not in the schema. */
function unknownFields(object: JsonObject, access: Map<Json, Access>): string[] {
  const found: string[] = [];
  const walk = (node: Json, path: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}/${i}`));
      return;
    }
    if (!isObject(node)) return;
    const a = access.get(node);
    // Never inspected, or inspected as a whole (free-form map): nothing to say about its fields.
    if (!a || (!a.enumerated && a.read.size === 0)) return;
    for (const [key, value] of Object.entries(node)) {
      if (!a.enumerated && !a.read.has(key)) found.push(`${path}/${key}`);
      else walk(value, `${path}/${key}`);
    }
  };
  walk(object, '');
  return found;
}

// ---------------------------------------------------------------------------------------------
// Typed kubernetes_* resources -> the object the provider sends

/** `kubernetes_<x>` resource types and the object they create. */
const TYPED_KINDS: Readonly<Record<string, { apiVersion: string; kind: string }>> = {
  kubernetes_config_map_v1: { apiVersion: 'v1', kind: 'ConfigMap' },
  kubernetes_secret_v1: { apiVersion: 'v1', kind: 'Secret' },
  kubernetes_service_account_v1: { apiVersion: 'v1', kind: 'ServiceAccount' },
  kubernetes_namespace_v1: { apiVersion: 'v1', kind: 'Namespace' },
  kubernetes_storage_class_v1: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass' },
  kubernetes_job_v1: { apiVersion: 'batch/v1', kind: 'Job' },
  kubernetes_cron_job_v1: { apiVersion: 'batch/v1', kind: 'CronJob' },
  kubernetes_network_policy_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  kubernetes_role_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  kubernetes_role_binding_v1: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
};

/** Provider arguments that are not part of the object (Terraform meta-arguments, provider behaviour). */
const NOT_OBJECT_FIELDS = new Set([
  '//',
  'provider',
  'depends_on',
  'count',
  'for_each',
  'lifecycle',
  'timeouts',
  'wait_for_completion',
  'wait_for_default_secret',
  'wait_for_service_account_token',
  'wait_for_default_service_account',
  'data_wo',
  'data_wo_revision',
  'binary_data_wo',
]);

/**
 * Provider blocks named in the singular whose API field is a list (`container` -> `containers`). Only a
 * block (a list or an object) is renamed: the same word can be a scalar field elsewhere, e.g. a
 * NetworkPolicy port's `port` inside `ports`.
 */
const RENAMED_BLOCKS: Readonly<Record<string, string>> = {
  container: 'containers',
  init_container: 'initContainers',
  volume: 'volumes',
  volume_mount: 'volumeMounts',
  port: 'ports',
  toleration: 'tolerations',
  image_pull_secret: 'imagePullSecrets',
  ingress: 'ingress',
  egress: 'egress',
  rule: 'rules',
  subject: 'subjects',
  secret: 'secrets',
  host_aliases: 'hostAliases',
};

/** Scalar fields the provider names differently from the API. */
const RENAMED_FIELDS: Readonly<Record<string, string>> = {
  storage_provisioner: 'provisioner',
  timezone: 'timeZone',
};

/** Integer fields the provider takes as strings (`run_as_user = "1000"`); the API gets integers. */
const STRING_INTEGERS = new Set(['run_as_user', 'run_as_group', 'fs_group']);

const camel = (key: string, value: Json) =>
  RENAMED_FIELDS[key] ??
  (typeof value === 'object' && value !== null ? RENAMED_BLOCKS[key] : undefined) ??
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Keys whose values are user maps (labels, data): their keys are kept as written. */
const MAPS = new Set([
  'labels',
  'annotations',
  'data',
  'binary_data',
  'string_data',
  'parameters',
  'limits',
  'requests',
  'node_selector',
  'match_labels',
]);

function convertTyped(value: Json, key = ''): Json {
  if (Array.isArray(value)) return value.map((v) => convertTyped(v));
  if (!isObject(value) || MAPS.has(key)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !NOT_OBJECT_FIELDS.has(k))
      .map(([k, v]) => [
        camel(k, v),
        STRING_INTEGERS.has(k) && typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : convertTyped(v, k),
      ]),
  );
}

// ---------------------------------------------------------------------------------------------

/** Every Kubernetes object of a stack that this check can read. */
export function kubernetesObjects(stack: string, json: TerraformJson): FoundObject[] {
  const found: FoundObject[] = [];
  const resources = json.resource ?? {};
  for (const [name, body] of Object.entries(resources.kubernetes_manifest ?? {})) {
    if (isObject(body.manifest as Json))
      found.push({ stack, source: `kubernetes_manifest.${name}`, object: body.manifest as JsonObject });
  }
  for (const [name, body] of Object.entries(resources.helm_release ?? {})) {
    const chart = String(body.chart ?? '');
    if (!chart.startsWith('assets/')) continue; // a local chart
    for (const [i, values] of ((body.values as unknown[] | undefined) ?? []).entries()) {
      let parsed: unknown;
      try {
        if (typeof values !== 'string') continue;
        // Values holding references are written as jsonencode(...) (modules/common/jsonencode.ts).
        parsed = values.startsWith('${jsonencode(')
          ? decodeJsonencode(values, { templates: true })
          : (JSON.parse(values) as unknown);
      } catch {
        continue; // YAML or templated values: not an object list
      }
      const objects = isObject(parsed as Json) ? (parsed as JsonObject).objects : undefined;
      if (!Array.isArray(objects)) continue;
      objects.forEach((object, j) => {
        if (isObject(object)) found.push({ stack, source: `helm_release.${name} values[${i}].objects[${j}]`, object });
      });
    }
  }
  for (const [type, typeInfo] of Object.entries(TYPED_KINDS)) {
    for (const [name, body] of Object.entries(resources[type] ?? {})) {
      const converted = convertTyped(body as JsonObject) as JsonObject;
      found.push({
        stack,
        source: `${type}.${name}`,
        object: { apiVersion: typeInfo.apiVersion, kind: typeInfo.kind, ...converted },
      });
    }
  }
  return found;
}

function nameOf(object: JsonObject): string {
  const metadata = object.metadata;
  const name = isObject(metadata) ? metadata.name : undefined;
  return typeof name === 'string' ? name : '(unnamed)';
}

function countUnresolved(value: Json): number {
  if (unresolved(value)) return 1;
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + countUnresolved(v), 0);
  if (isObject(value)) return Object.values(value).reduce<number>((n, v) => n + countUnresolved(v), 0);
  return 0;
}

/** Validates one object; the findings name stack, kind, name and the schema error. */
export function validateObject(found: FoundObject, operatorVersion: string): CheckResult {
  const { object } = found;
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '(no apiVersion)';
  const kind = typeof object.kind === 'string' ? object.kind : '(no kind)';
  const subject = `${found.stack}: ${kind} ${nameOf(object)}`;
  const finding = (problem: string): CheckResult => ({
    proven: [],
    findings: [{ check: 'kubernetes', subject, problem: `${problem} (${found.source})` }],
  });
  if (apiVersion.startsWith(`${STRIMZI_GROUP}/`)) {
    const problem = strimziVersionProblem(operatorVersion, apiVersion);
    if (problem) return finding(problem);
  }
  const model = models().get(`${apiVersion}/${kind}`);
  if (!model) return finding(`no schema for ${apiVersion} ${kind} in this check: add its model or leave it out`);
  const { errors, access } = validateWatching(model, object);
  const unknown = unknownFields(object, access).filter((p) => !p.startsWith('/status'));
  const problems = [
    ...errors.map((e) => `schema: ${e}`),
    ...unknown.map((p) => `unknown field ${p} (not in the ${apiVersion} ${kind} schema)`),
  ];
  if (problems.length > 0) {
    return {
      proven: [],
      findings: problems.map((p): Finding => ({ check: 'kubernetes', subject, problem: `${p} (${found.source})` })),
    };
  }
  const deferred = countUnresolved(object);
  const row: Proven = {
    check: 'kubernetes',
    subject: `${subject} (${apiVersion})`,
    evidence:
      `${found.source} validates against ${schemaSource(apiVersion, operatorVersion)}, no unknown fields` +
      (deferred > 0 ? `; ${deferred} value(s) known at apply` : ''),
  };
  return { proven: [row], findings: [] };
}

export const checkKubernetes: ReadinessCheck = (input) => {
  const operatorVersion = input.plan.config.workloads.charts.strimziKafkaOperator.version;
  const proven: Proven[] = [];
  const findings: Finding[] = [];
  for (const [stack, json] of Object.entries(input.stacks)) {
    for (const found of kubernetesObjects(stack, json)) {
      const result = validateObject(found, operatorVersion);
      proven.push(...result.proven);
      findings.push(...result.findings);
    }
  }
  return { proven, findings };
};
