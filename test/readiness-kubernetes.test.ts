import { production } from '../src/config/environments/production';
import type { PlatformConfig } from '../src/config/types';
import { resolvePlan } from '../src/plan/resolve';
import { checkKubernetes } from '../src/readiness/kubernetes';
import type { ReadinessInput, TerraformJson } from '../src/readiness/types';
import { decodeJsonencode } from './support/jsonencode';
import { defaultSynth } from './support/shared-synth';

type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string } };
type Resources = Record<string, Record<string, Record<string, unknown>>>;

const plan = resolvePlan(production);
const REGION = production.regions[0].key;
const WORKLOADS = `workloads-${REGION}`;

describe('deploy readiness: Kubernetes objects (default production synth)', () => {
  let stacks: Record<string, TerraformJson>;
  beforeAll(() => {
    const synth = defaultSynth('production');
    stacks = Object.fromEntries(synth.stackIds.map((id) => [id, synth.stack(id) as TerraformJson]));
  });
  const input = (changed: Record<string, TerraformJson> = {}, config: PlatformConfig = production): ReadinessInput => ({
    plan: config === production ? plan : resolvePlan(config),
    stacks: { ...stacks, ...changed },
  });

  /** The workloads stack with the replication release's objects changed by `edit`. */
  function withObjects(edit: (objects: Obj[]) => void): Record<string, TerraformJson> {
    const stack = structuredClone(stacks[WORKLOADS]);
    const releases = (stack.resource as Resources).helm_release;
    const [release] = Object.values(releases).filter((r) => r.name === 'kafka-replication');
    // Read and written back as the stack has them: jsonencode(...), strings as Terraform templates.
    const values = decodeJsonencode((release.values as string[])[0], { templates: true }) as { objects: Obj[] };
    edit(values.objects);
    release.values = [`\${jsonencode(${JSON.stringify(values)})}`];
    return { [WORKLOADS]: stack };
  }
  const byKind = (objects: Obj[], kind: string) => objects.find((o) => o.kind === kind)!;
  const spec = (o: Obj) => o.spec as Record<string, unknown>;

  /** The workloads stack with one more resource. */
  function withResource(type: string, name: string, body: Record<string, unknown>): Record<string, TerraformJson> {
    const stack = structuredClone(stacks[WORKLOADS]);
    const resources = stack.resource as Resources;
    resources[type] = { ...(resources[type] ?? {}), [name]: body };
    return { [WORKLOADS]: stack };
  }

  test('passes: every object of every workloads stack validates, one proven row each', () => {
    const result = checkKubernetes(input());
    expect(result.findings).toEqual([]);
    // Per region: the 5 replication objects, plus the typed resources (namespaces, service accounts, ...).
    for (const { key } of production.regions) {
      const rows = result.proven.filter((p) => p.subject.startsWith(`workloads-${key}: `));
      expect(rows.map((p) => p.subject)).toEqual(
        expect.arrayContaining([
          `workloads-${key}: KafkaMirrorMaker2 mi-${key}-mm2 (kafka.strimzi.io/v1)`,
          `workloads-${key}: KafkaConnect mi-${key}-mm2-heartbeats (kafka.strimzi.io/v1)`,
          `workloads-${key}: KafkaConnector mi-${key}-mm2-heartbeat (kafka.strimzi.io/v1)`,
          `workloads-${key}: ConfigMap mi-${key}-mm2-metrics (v1)`,
          `workloads-${key}: PodMonitor mi-${key}-mm2-metrics (monitoring.coreos.com/v1)`,
          `workloads-${key}: Namespace kafka (v1)`,
          `workloads-${key}: Secret msk-scram-${key} (v1)`,
        ]),
      );
    }
    const mm2 = result.proven.find((p) => p.subject.startsWith(`${WORKLOADS}: KafkaMirrorMaker2`))!;
    expect(mm2.evidence).toMatch(/operator 1\.0\.1 serves it/);
    // The bootstrap brokers come from the regional stacks: known at apply, not a finding.
    expect(mm2.evidence).toMatch(/value\(s\) known at apply/);
  });

  test('a v1beta2 object fails: the pinned operator does not serve it', () => {
    const { findings } = checkKubernetes(
      input(withObjects((objects) => (byKind(objects, 'KafkaMirrorMaker2').apiVersion = 'kafka.strimzi.io/v1beta2'))),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'kubernetes',
        subject: `${WORKLOADS}: KafkaMirrorMaker2 mi-${REGION}-mm2`,
        problem: expect.stringMatching(
          /apiVersion kafka\.strimzi\.io\/v1beta2 is not served by the pinned Strimzi operator 1\.0\.1 \(it serves kafka\.strimzi\.io\/v1\)/,
        ),
      }),
    ]);
  });

  test('v1 objects fail when the operator pin does not serve v1 (0.47.0)', () => {
    const old: PlatformConfig = {
      ...production,
      workloads: {
        ...production.workloads,
        charts: {
          ...production.workloads.charts,
          strimziKafkaOperator: { ...production.workloads.charts.strimziKafkaOperator, version: '0.47.0' },
        },
      },
    };
    const { findings } = checkKubernetes(input({}, old));
    // Three Strimzi objects per region.
    expect(findings).toHaveLength(3 * production.regions.length);
    expect(findings.map((f) => f.subject)).toContain(`${WORKLOADS}: KafkaConnect mi-${REGION}-mm2-heartbeats`);
    for (const f of findings)
      expect(f.problem).toMatch(/kafka\.strimzi\.io\/v1 is not served by the pinned Strimzi operator 0\.47\.0/);
  });

  test('an unknown field fails, naming its path (the CRD would silently drop it)', () => {
    const { findings } = checkKubernetes(
      input(
        withObjects((objects) => {
          const mirrors = spec(byKind(objects, 'KafkaMirrorMaker2')).mirrors as Record<string, unknown>[];
          mirrors[0].topicPattern = mirrors[0].topicsPattern; // typo of topicsPattern
        }),
      ),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        subject: `${WORKLOADS}: KafkaMirrorMaker2 mi-${REGION}-mm2`,
        problem: expect.stringMatching(
          /^unknown field \/spec\/mirrors\/0\/topicPattern \(not in the kafka\.strimzi\.io\/v1 KafkaMirrorMaker2 schema\)/,
        ),
      }),
    ]);
  });

  test('a free-form connector config is not mistaken for unknown fields', () => {
    const { findings } = checkKubernetes(
      input(
        withObjects(
          (objects) =>
            ((spec(byKind(objects, 'KafkaConnector')).config as Record<string, unknown>)['any.kafka.setting'] = 'x'),
        ),
      ),
    );
    expect(findings).toEqual([]);
  });

  test('a missing required field fails with the schema error', () => {
    const { findings } = checkKubernetes(
      input(withObjects((objects) => delete spec(byKind(objects, 'KafkaConnect')).bootstrapServers)),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        subject: `${WORKLOADS}: KafkaConnect mi-${REGION}-mm2-heartbeats`,
        problem: expect.stringMatching(/^schema: \/spec must have required property bootstrapServers/),
      }),
    ]);
  });

  test('core objects are checked against kubernetes-models: a Job without a pod template, an unknown NetworkPolicy field', () => {
    const job = withResource('kubernetes_manifest', 'bad_job', {
      manifest: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'bootstrap', namespace: 'x' },
        spec: { backoffLimit: 1 },
      },
    });
    const policy = withResource('kubernetes_manifest', 'bad_policy', {
      manifest: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'x' },
        spec: { podSelector: {}, policyType: ['Ingress'] },
      },
    });
    expect(checkKubernetes(input(job)).findings).toEqual([
      expect.objectContaining({
        subject: `${WORKLOADS}: Job bootstrap`,
        problem: expect.stringMatching(
          /^schema: \/spec must have required property template \(kubernetes_manifest\.bad_job\)/,
        ),
      }),
    ]);
    expect(checkKubernetes(input(policy)).findings).toEqual([
      expect.objectContaining({
        subject: `${WORKLOADS}: NetworkPolicy deny`,
        problem: expect.stringMatching(/^unknown field \/spec\/policyType/),
      }),
    ]);
  });

  test('typed kubernetes_* resources are read back as the objects they create', () => {
    const typo = withResource('kubernetes_service_account_v1', 'typo', {
      metadata: { name: 'app', namespace: 'x', lables: { a: 'b' } },
    });
    expect(checkKubernetes(input(typo)).findings).toEqual([
      expect.objectContaining({
        subject: `${WORKLOADS}: ServiceAccount app`,
        problem: expect.stringMatching(/^unknown field \/metadata\/lables/),
      }),
    ]);
  });

  test("a block named like a list field is renamed, the same word as a scalar is not (a NetworkPolicy port's port)", () => {
    const policy = withResource('kubernetes_network_policy_v1', 'web', {
      metadata: { name: 'web', namespace: 'x' },
      spec: {
        pod_selector: { match_labels: { app: 'web' } },
        policy_types: ['Ingress'],
        ingress: [{ ports: [{ port: '8080', protocol: 'TCP' }], from: [{ namespace_selector: {} }] }],
      },
    });
    expect(checkKubernetes(input(policy)).findings).toEqual([]);
    const pod = withResource('kubernetes_job_v1', 'job', {
      metadata: { name: 'job', namespace: 'x' },
      spec: {
        template: {
          metadata: {},
          spec: { container: [{ name: 'c', image: 'i', port: [{ container_port: 80, protocl: 'TCP' }] }] },
        },
      },
    });
    expect(checkKubernetes(input(pod)).findings).toEqual([
      expect.objectContaining({
        subject: `${WORKLOADS}: Job job`,
        problem: expect.stringMatching(/^unknown field \/spec\/template\/spec\/containers\/0\/ports\/0\/protocl/),
      }),
    ]);
  });

  test('Terraform interpolations are not schema errors: they are known at apply', () => {
    const { findings, proven } = checkKubernetes(
      input(withObjects((objects) => (spec(byKind(objects, 'KafkaConnect')).replicas = '${var.heartbeat_replicas}'))),
    );
    expect(findings).toEqual([]);
    const row = proven.find(
      (p) => p.subject === `${WORKLOADS}: KafkaConnect mi-${REGION}-mm2-heartbeats (kafka.strimzi.io/v1)`,
    );
    expect(row?.evidence).toMatch(/2 value\(s\) known at apply/);
  });

  test('an object of a kind without a schema here is a finding, not a silent pass', () => {
    const { findings } = checkKubernetes(
      input(
        withResource('kubernetes_manifest', 'chi', {
          manifest: {
            apiVersion: 'clickhouse.altinity.com/v1',
            kind: 'ClickHouseInstallation',
            metadata: { name: 'analytics' },
          },
        }),
      ),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        subject: `${WORKLOADS}: ClickHouseInstallation analytics`,
        problem: expect.stringMatching(/no schema for clickhouse\.altinity\.com\/v1 ClickHouseInstallation/),
      }),
    ]);
  });
});
