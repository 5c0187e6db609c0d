import { join } from 'node:path';
import { Aspects, AssetType, TerraformAsset, type IAspect, type TerraformProvider } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { isPrivateCidr, parseCidr } from '../common/cidr';
import { setComponent } from '../common/context';

/** Ports the policies open (the charts' defaults; a chart that moves one must move it here too). */
export const POLICY_PORTS = {
  /** Kafka Connect REST API of Strimzi's Connect and MirrorMaker 2 pods: unauthenticated. */
  connectRest: 8083,
  /** Prometheus JMX exporter of Strimzi Connect and MirrorMaker 2 pods (`tcp-prometheus`). */
  strimziMetrics: 9404,
  /** Metrics of the Strimzi cluster operator (`http`). */
  strimziOperatorMetrics: 8080,
  /** ClickHouse HTTP interface. */
  clickhouseHttp: 8123,
  /** ClickHouse native protocol. */
  clickhouseNative: 9000,
  /** Altinity operator's metrics exporter (ClickHouse metrics) and its own metrics. */
  clickhouseOperatorMetrics: [8888, 9999],
  /** Admission webhook of the Prometheus operator (kube-prometheus-stack `prometheusOperator.tls.internalPort`). */
  prometheusOperatorWebhook: 10250,
  /** node-exporter (prometheus-node-exporter `service.port`; on the host network by default). */
  nodeExporter: 9100,
} as const;

/** Label every namespace carries (Kubernetes sets it): how policies name a namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** Pod label of the Strimzi cluster operator (its Deployment's pod template). */
export const STRIMZI_OPERATOR_SELECTOR = { 'strimzi.io/kind': 'cluster-operator' } as const;
/** Strimzi kinds whose pods serve the Kafka Connect REST API. */
export const STRIMZI_CONNECT_KINDS = ['KafkaConnect', 'KafkaMirrorMaker2'] as const;
/** Pod label the Prometheus operator puts on the Prometheus pods. */
export const PROMETHEUS_POD_SELECTOR = { 'app.kubernetes.io/name': 'prometheus' } as const;

export interface PlatformNamespaces {
  readonly application: string;
  readonly kafka: string;
  readonly clickhouse: string;
  readonly monitoring: string;
  /** Node agents (node-exporter, the NVIDIA device plugin): the one `privileged` namespace. */
  readonly nodeAgents: string;
}

export interface PlatformNetworkPoliciesProps {
  readonly namespaces: PlatformNamespaces;
  /** Port the application pods serve (and are scraped) on. */
  readonly applicationPort: number;
  /**
   * Subnets of the load balancer: an IP target group sees the ALB nodes' private addresses, so
   * the application port admits these CIDRs (the public subnets), nothing else from outside.
   */
  readonly loadBalancerCidrs: readonly string[];
  /**
   * Subnets of the EKS control plane's ENIs (the cluster's private subnets): the API server calls
   * admission webhooks from there.
   */
  readonly controlPlaneCidrs: readonly string[];
  readonly helmProvider?: TerraformProvider;
}

type Selector = { readonly [label: string]: string };
/** A label selector (`matchExpressions` with `In` only: all the policies need). */
export interface LabelSelector {
  readonly matchLabels?: Selector;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: 'In';
    readonly values: readonly string[];
  }[];
}

/** One NetworkPolicy, as the API takes it (camelCase): what the construct declares and tests read. */
export interface NetworkPolicySpec {
  readonly name: string;
  readonly namespace: string;
  /** Why the flow exists (the policy's `platform/purpose` annotation). */
  readonly purpose: string;
  readonly podSelector: LabelSelector;
  /** Empty: deny every ingress to the selected pods (no rule matches). */
  readonly ingress: readonly {
    readonly from: readonly (
      | { readonly podSelector: LabelSelector; readonly namespaceSelector?: LabelSelector }
      | { readonly namespaceSelector: LabelSelector }
      | { readonly ipBlock: { readonly cidr: string } }
    )[];
    /** Empty: every port. */
    readonly ports: readonly { readonly port: number; readonly protocol: 'TCP' }[];
  }[];
}

const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' as const }));
const inNamespace = (ns: string) => ({ matchLabels: { [NAMESPACE_NAME_LABEL]: ns } });

/**
 * The ingress policies of the platform's namespaces (docs/compute.md, "Network policies"): every
 * namespace denies all ingress by default, then each real flow is allowed on its ports only.
 * Policies add up (a pod admits the union of the policies selecting it), so each allow below is
 * the whole of what reaches the pods it selects. Egress is not restricted here (see the docs).
 */
export function platformNetworkPolicies(p: Omit<PlatformNetworkPoliciesProps, 'helmProvider'>): NetworkPolicySpec[] {
  const ns = p.namespaces;
  for (const cidr of [...p.loadBalancerCidrs, ...p.controlPlaneCidrs]) {
    const parsed = parseCidr(cidr);
    if (!parsed || !isPrivateCidr(parsed))
      throw new Error(`network policies: expected a private IPv4 CIDR, got ${cidr}`);
  }
  if (p.loadBalancerCidrs.length === 0) throw new Error('network policies: loadBalancerCidrs is empty');
  if (p.controlPlaneCidrs.length === 0) throw new Error('network policies: controlPlaneCidrs is empty');
  const prometheus = {
    podSelector: { matchLabels: { ...PROMETHEUS_POD_SELECTOR } },
    namespaceSelector: inNamespace(ns.monitoring),
  };
  const connectPods: LabelSelector = {
    matchExpressions: [{ key: 'strimzi.io/kind', operator: 'In', values: STRIMZI_CONNECT_KINDS }],
  };
  const defaultDeny = (namespace: string): NetworkPolicySpec => ({
    name: 'default-deny-ingress',
    namespace,
    purpose: 'Every pod of the namespace admits only what another policy allows',
    podSelector: {},
    ingress: [],
  });
  const sameNamespace = (namespace: string, purpose: string): NetworkPolicySpec => ({
    name: 'allow-same-namespace',
    namespace,
    purpose,
    podSelector: {},
    ingress: [{ from: [{ podSelector: {} }], ports: [] }],
  });
  return [
    // --- application ---
    defaultDeny(ns.application),
    {
      name: 'allow-load-balancer',
      namespace: ns.application,
      purpose: 'The ALB (IP targets, public subnets) reaches the application port',
      podSelector: {},
      ingress: [{ from: p.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(p.applicationPort) }],
    },
    {
      name: 'allow-prometheus',
      namespace: ns.application,
      purpose: 'Prometheus scrapes the application port',
      podSelector: {},
      ingress: [{ from: [prometheus], ports: tcp(p.applicationPort) }],
    },
    // --- kafka (Strimzi operator, MirrorMaker 2, heartbeat Connect) ---
    defaultDeny(ns.kafka),
    {
      name: 'allow-connect-rest-from-operator',
      namespace: ns.kafka,
      purpose:
        'The unauthenticated Kafka Connect REST API: only the Strimzi operator and the Connect workers themselves (they forward requests to the leader)',
      podSelector: connectPods,
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { ...STRIMZI_OPERATOR_SELECTOR } } }, { podSelector: connectPods }],
          ports: tcp(POLICY_PORTS.connectRest),
        },
      ],
    },
    {
      name: 'allow-prometheus',
      namespace: ns.kafka,
      purpose: 'Prometheus scrapes the MirrorMaker 2 / Connect exporters and the operator',
      podSelector: {},
      ingress: [{ from: [prometheus], ports: tcp(POLICY_PORTS.strimziMetrics, POLICY_PORTS.strimziOperatorMetrics) }],
    },
    // --- clickhouse ---
    defaultDeny(ns.clickhouse),
    sameNamespace(ns.clickhouse, 'Replicas, Keeper, the operator and the backup CronJob talk to each other'),
    {
      name: 'allow-application',
      namespace: ns.clickhouse,
      purpose: 'The application namespace, and only it, queries ClickHouse',
      podSelector: {},
      ingress: [
        {
          from: [{ namespaceSelector: inNamespace(ns.application) }],
          ports: tcp(POLICY_PORTS.clickhouseHttp, POLICY_PORTS.clickhouseNative),
        },
      ],
    },
    {
      name: 'allow-prometheus',
      namespace: ns.clickhouse,
      purpose: 'Prometheus scrapes the operator exporter',
      podSelector: {},
      ingress: [{ from: [prometheus], ports: tcp(...POLICY_PORTS.clickhouseOperatorMetrics) }],
    },
    // --- node agents (node-exporter runs on the host network, where no NetworkPolicy applies: these
    // policies hold for any agent that does not, and say what the namespace may receive) ---
    defaultDeny(ns.nodeAgents),
    {
      name: 'allow-prometheus',
      namespace: ns.nodeAgents,
      purpose: 'Prometheus scrapes node-exporter',
      podSelector: {},
      ingress: [{ from: [prometheus], ports: tcp(POLICY_PORTS.nodeExporter) }],
    },
    // --- monitoring ---
    defaultDeny(ns.monitoring),
    sameNamespace(ns.monitoring, 'Prometheus, Alertmanager, Grafana and the operator talk to each other'),
    {
      name: 'allow-admission-webhook',
      namespace: ns.monitoring,
      purpose: "The API server (control-plane ENIs in the private subnets) calls the Prometheus operator's webhook",
      podSelector: {},
      ingress: [
        {
          from: p.controlPlaneCidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ports: tcp(POLICY_PORTS.prometheusOperatorWebhook),
        },
      ],
    },
  ];
}

/** The chart (committed) whose only template prints the objects passed in as values. */
export const NETWORK_POLICIES_CHART_DIR = join(__dirname, '..', '..', 'charts', 'network-policies');

/** A NetworkPolicy object as the API server receives it. */
export function networkPolicyObject(s: NetworkPolicySpec): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: s.name, namespace: s.namespace, annotations: { 'platform/purpose': s.purpose } },
    spec: {
      podSelector: s.podSelector,
      policyTypes: ['Ingress'],
      // Omitted `ports`: every port (of the peers the rule names).
      ingress: s.ingress.map((rule) => (rule.ports.length > 0 ? rule : { from: rule.from })),
    },
  };
}

/**
 * The platform's NetworkPolicies (enforced by the VPC CNI's network policy agent,
 * `enableNetworkPolicy` on the vpc-cni add-on), as one Helm release of a local chart that prints
 * the objects: the deploy-readiness check validates them against the NetworkPolicy schema as the
 * API receives them, as it does the Kafka replication objects. The release is installed after
 * every namespace it writes to: those are declared in different places of the stack (the workloads
 * stack, the ClickHouse installation), so an aspect adds each of them to the release's `depends_on`.
 */
export class PlatformNetworkPolicies extends Construct {
  readonly specs: readonly NetworkPolicySpec[];
  readonly objects: readonly Record<string, unknown>[];
  readonly release: Release;

  constructor(scope: Construct, id: string, props: PlatformNetworkPoliciesProps) {
    super(scope, id);
    setComponent(this, 'network-policies');
    this.specs = platformNetworkPolicies(props);
    this.objects = this.specs.map(networkPolicyObject);
    const chart = new TerraformAsset(this, 'chart', { path: NETWORK_POLICIES_CHART_DIR, type: AssetType.DIRECTORY });
    this.release = new Release(this, 'release', {
      provider: props.helmProvider,
      name: 'network-policies',
      chart: chart.path,
      // The release record only; each object names its own namespace.
      namespace: 'kube-system',
      values: [JSON.stringify({ objects: this.objects })],
      atomic: true,
      cleanupOnFail: true,
      maxHistory: 10,
    });
    const namespaces = new Set(this.specs.map((s) => s.namespace));
    Aspects.of(this.node.scope ?? this).add(new AfterNamespaces(this.release, namespaces));
  }
}

/** Adds each namespace of the stack that `namespaces` names to the `depends_on` of `release`. */
class AfterNamespaces implements IAspect {
  constructor(
    private readonly release: Release,
    private readonly namespaces: ReadonlySet<string>,
  ) {}

  visit(node: IConstruct): void {
    if (!(node instanceof NamespaceV1)) return;
    const name = node.metadataInput?.name;
    if (name === undefined || !this.namespaces.has(name)) return;
    // The address as `depends_on` takes it (`node.fqn` would resolve to an interpolation).
    const address = `${node.terraformResourceType}.${node.friendlyUniqueId}`;
    const deps = this.release.dependsOn ?? [];
    if (!deps.includes(address)) this.release.dependsOn = [...deps, address];
  }
}
