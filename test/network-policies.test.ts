import { Testing, TerraformStack } from 'cdktf';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { PlatformNetworkPolicies, platformNetworkPolicies, POLICY_PORTS } from '../modules/eks/network-policies';
import { planSubnets } from '../modules/network/subnets';
import { production } from '../src/config/environments/production';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';

type Body = Record<string, unknown>;
type Peer = {
  ipBlock?: { cidr: string };
  podSelector?: Body;
  namespaceSelector?: { matchLabels: Record<string, string> };
};
type Rule = { from: Peer[]; ports?: { port: number; protocol: string }[] };
type Policy = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  spec: { podSelector: Body; policyTypes: string[]; ingress: Rule[] };
};

/** The release of the network policies and the objects it installs. */
function policiesOf(stack: StackJson): { release: Body; policies: Policy[] } {
  const releases = resources(stack, 'helm_release').filter((r) => r.name === 'network-policies');
  if (releases.length !== 1) throw new Error(`expected one network-policies release, found ${releases.length}`);
  const [release] = releases;
  return { release, policies: (JSON.parse((release.values as string[])[0]) as { objects: Policy[] }).objects };
}

const NAMESPACES = {
  application: 'app',
  kafka: 'kafka',
  clickhouse: 'clickhouse',
  monitoring: 'monitoring',
  nodeAgents: 'node-agents',
};
const PROPS = {
  namespaces: NAMESPACES,
  applicationPort: 8080,
  loadBalancerCidrs: ['10.0.128.0/21', '10.0.136.0/21'],
  controlPlaneCidrs: ['10.0.0.0/20', '10.0.16.0/20'],
};

/** GIVEN the policies on a small stack with the kafka and app namespaces declared after them. */
function moduleStack(): { release: Body; policies: Policy[] } {
  const stack = new TerraformStack(Testing.app(), 'w');
  new PlatformNetworkPolicies(stack, 'np', PROPS);
  new NamespaceV1(stack, 'ns-kafka', { metadata: { name: 'kafka' } });
  new NamespaceV1(stack, 'ns-app', { metadata: { name: 'app' } });
  new NamespaceV1(stack, 'ns-other', { metadata: { name: 'other' } });
  return policiesOf(JSON.parse(Testing.synth(stack)) as StackJson);
}

const find = (policies: Policy[], namespace: string, name: string): Policy => {
  const found = policies.filter((p) => p.metadata.namespace === namespace && p.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one policy ${namespace}/${name}, found ${found.length}`);
  return found[0];
};
const ports = (rule: Rule) => (rule.ports ?? []).map((p) => p.port).sort((a, b) => a - b);

describe('PlatformNetworkPolicies', () => {
  const { release, policies } = moduleStack();

  test('every namespace denies all ingress by default: a selector for all pods, Ingress type, no rule', () => {
    for (const ns of Object.values(NAMESPACES)) {
      expect(find(policies, ns, 'default-deny-ingress').spec).toEqual({
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [],
      });
    }
    // Ingress only: a policy with Egress would cut the pods' egress (STS, MSK, GitHub for the ACL Job).
    expect(policies).toHaveLength(15);
    expect(policies.filter((p) => JSON.stringify(p.spec.policyTypes) !== '["Ingress"]')).toEqual([]);
    expect(new Set(policies.map((p) => `${p.apiVersion} ${p.kind}`))).toEqual(
      new Set(['networking.k8s.io/v1 NetworkPolicy']),
    );
  });

  test('the Kafka Connect REST API (8083) admits only the Strimzi operator and the Connect workers', () => {
    const connect = policies.filter((p) => p.spec.ingress.some((r) => ports(r).includes(POLICY_PORTS.connectRest)));
    expect(connect.map((p) => p.metadata.name)).toEqual(['allow-connect-rest-from-operator']);
    const [policy] = connect;
    const connectPods = {
      matchExpressions: [{ key: 'strimzi.io/kind', operator: 'In', values: ['KafkaConnect', 'KafkaMirrorMaker2'] }],
    };
    expect(policy.metadata.namespace).toBe('kafka');
    expect(policy.spec.podSelector).toEqual(connectPods);
    expect(policy.spec.ingress).toEqual([
      {
        // Pod selectors without a namespace selector: pods of the kafka namespace only.
        from: [
          { podSelector: { matchLabels: { 'strimzi.io/kind': 'cluster-operator' } } },
          { podSelector: connectPods },
        ],
        ports: [{ port: 8083, protocol: 'TCP' }],
      },
    ]);
    // Nothing else in kafka admits anyone but Prometheus, on the metrics ports.
    const others = policies.filter((p) => p.metadata.namespace === 'kafka' && p !== policy);
    expect(others.flatMap((p) => p.spec.ingress).map(ports)).toEqual([[8080, 9404]]);
  });

  test('the node agents admit Prometheus on the node-exporter port only', () => {
    const agents = policies.filter((p) => p.metadata.namespace === 'node-agents');
    expect(agents.map((p) => p.metadata.name).sort()).toEqual(['allow-prometheus', 'default-deny-ingress']);
    expect(find(policies, 'node-agents', 'allow-prometheus').spec.ingress).toEqual([
      {
        from: [
          {
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
          },
        ],
        ports: [{ port: 9100, protocol: 'TCP' }],
      },
    ]);
  });

  test('the application admits the ALB subnets and Prometheus on its port only', () => {
    expect(find(policies, 'app', 'allow-load-balancer').spec.ingress).toEqual([
      {
        from: PROPS.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(find(policies, 'app', 'allow-prometheus').spec.ingress).toEqual([
      {
        from: [
          {
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
          },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(policies.filter((p) => p.metadata.namespace === 'app')).toHaveLength(3);
  });

  test('ClickHouse admits the application namespace (HTTP, native) and its own pods, nothing else', () => {
    expect(find(policies, 'clickhouse', 'allow-application').spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app' } } }],
        ports: [
          { port: 8123, protocol: 'TCP' },
          { port: 9000, protocol: 'TCP' },
        ],
      },
    ]);
    // Every port, from pods of the namespace only (no `ports`: all of them).
    expect(find(policies, 'clickhouse', 'allow-same-namespace').spec.ingress).toEqual([
      { from: [{ podSelector: {} }] },
    ]);
    // No ipBlock in clickhouse or kafka: other VPCs and other namespaces' pods stay out.
    const blocks = policies
      .filter((p) => ['clickhouse', 'kafka'].includes(p.metadata.namespace))
      .flatMap((p) => p.spec.ingress.flatMap((r) => r.from))
      .filter((peer) => peer.ipBlock);
    expect(blocks).toEqual([]);
  });

  test('the release waits for the namespaces it writes to, wherever the stack declares them', () => {
    expect(release.depends_on).toEqual(['kubernetes_namespace_v1.ns-kafka', 'kubernetes_namespace_v1.ns-app']);
    expect(release.chart).toMatch(/^assets\//);
  });

  test.each([
    [{ loadBalancerCidrs: ['0.0.0.0/0'] }, /expected a private IPv4 CIDR, got 0\.0\.0\.0\/0/],
    [{ controlPlaneCidrs: ['10.0.0.0/33'] }, /expected a private IPv4 CIDR, got 10\.0\.0\.0\/33/],
    [{ loadBalancerCidrs: [] }, /loadBalancerCidrs is empty/],
  ])('refuses %j', (change, message) => {
    expect(() => platformNetworkPolicies({ ...PROPS, ...change })).toThrow(message);
  });
});

describe('network policies in the workloads stacks (production)', () => {
  const synth = defaultSynth('production');
  const w = production.workloads;

  test.each(production.regions.map((r) => r.key))(
    '%s: every platform namespace has its default deny; the release comes after the five namespaces',
    (key) => {
      const { release, policies } = policiesOf(synth.stack(`workloads-${key}`));
      const namespaces = [
        w.application.namespace,
        w.kafkaNamespace,
        'clickhouse',
        w.monitoringNamespace,
        w.nodeAgentsNamespace,
      ];
      for (const ns of namespaces) expect(find(policies, ns, 'default-deny-ingress').spec.ingress).toEqual([]);
      expect(policies).toHaveLength(15);
      const deps = release.depends_on as string[];
      expect(deps).toHaveLength(5);
      expect(deps.every((d) => d.startsWith('kubernetes_namespace_v1.'))).toBe(true);
    },
  );

  test.each(production.regions.map((r) => [r.key, r.vpcCidr, r.azCount]))(
    '%s: the ALB rule admits the public subnets of %s',
    (key, vpcCidr, azCount) => {
      const { policies } = policiesOf(synth.stack(`workloads-${key}`));
      const [alb] = find(policies, w.application.namespace, 'allow-load-balancer').spec.ingress;
      expect(alb.from).toEqual(
        planSubnets(vpcCidr as string, azCount as number).public.map((cidr) => ({ ipBlock: { cidr } })),
      );
      expect(ports(alb)).toEqual([w.application.port]);
    },
  );
});
