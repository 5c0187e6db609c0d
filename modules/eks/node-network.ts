import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { isPrivateCidr, parseCidr } from '../common/cidr';

/** A range of the platform's private networks that pods open connections to, and on which ports. */
export interface StoreDestination {
  /** Short name, part of the rule ids and descriptions, e.g. the region key `eu-west`. */
  readonly name: string;
  /** A private IPv4 range (a platform VPC). */
  readonly cidr: string;
  /** TCP ports (data stores: PostgreSQL, Redis, Kafka listeners, exporters). */
  readonly ports: readonly number[];
}

/** One entry of the node egress allow-list: what leaves, to where, and why. */
export interface EgressAllowance {
  readonly id: string;
  /** `-1` (every protocol) only towards the node group itself. */
  readonly protocol: 'tcp' | '-1';
  readonly fromPort?: number;
  readonly toPort?: number;
  /** Destination: a CIDR, or one of the two groups the construct knows. */
  readonly to: { readonly cidr: string } | { readonly group: 'nodes' | 'cluster' };
  readonly why: string;
}

/** Default quota of rules per direction on a security group (VPC quota "Inbound or outbound rules per security group"). */
export const SECURITY_GROUP_RULE_QUOTA = 60;

/**
 * The egress allow-list of every node and pod (docs/security.md, "Inside the perimeter"). Security
 * groups do not filter the VPC resolver (DNS), the instance metadata service, the Amazon Time Sync
 * Service or the pod identity agent's link-local address, so none of those needs a rule.
 */
export function nodeEgressAllowList(stores: readonly StoreDestination[]): EgressAllowance[] {
  const seen = new Set<string>();
  for (const store of stores) {
    const parsed = parseCidr(store.cidr);
    if (!parsed || !isPrivateCidr(parsed))
      throw new Error(`node egress to ${store.name}: expected a private IPv4 CIDR, got ${store.cidr}`);
    if (seen.has(store.name)) throw new Error(`node egress: destination ${store.name} is listed twice`);
    seen.add(store.name);
    for (const port of store.ports) {
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error(`node egress to ${store.name}: expected TCP ports from 1 to 65535, got ${port}`);
    }
  }
  return [
    {
      id: 'nodes',
      protocol: '-1',
      to: { group: 'nodes' },
      why: 'Pod to pod and node to node (CoreDNS, kubelet, scrapes, ClickHouse replicas); NetworkPolicies narrow it per namespace',
    },
    {
      id: 'cluster-api',
      protocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      to: { group: 'cluster' },
      why: 'Kubelet and pods to the private Kubernetes API endpoint (control-plane ENIs): nodes join the cluster',
    },
    {
      id: 'https',
      protocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      to: { cidr: '0.0.0.0/0' },
      why: 'HTTPS only: AWS APIs (interface endpoints in the VPC, the S3 gateway, the rest through NAT: STS for IRSA, EKS, ECR, AMP) and container registries (images)',
    },
    ...stores.flatMap((store) =>
      [...new Set(store.ports)]
        .sort((a, b) => a - b)
        .map((port): EgressAllowance => ({
          id: `${store.name}-${port}`,
          protocol: 'tcp',
          fromPort: port,
          toPort: port,
          to: { cidr: store.cidr },
          why: `Data-store port ${port} in ${store.name} (${store.cidr})`,
        })),
    ),
  ];
}

export interface NodeNetworkRulesProps {
  /** The group on every node (and so every pod). */
  readonly nodeSecurityGroup: SecurityGroup;
  /** The group EKS puts on the control-plane ENIs (`vpc_config[0].cluster_security_group_id`). */
  readonly clusterSecurityGroupId: string;
  /** Data stores the pods reach. @default - none: HTTPS, the API server and the cluster itself only */
  readonly stores?: readonly StoreDestination[];
  readonly provider?: TerraformProvider;
}

/**
 * The rules of the node security group: nodes carry only this group (not the EKS cluster security
 * group, whose EKS-managed rule lets everything out), so this is the whole of what a node or pod may
 * send, and what may reach it besides the data-store and load-balancer rules other modules add.
 *
 * - egress: the allow-list of `nodeEgressAllowList`;
 * - ingress: the node group itself (every protocol) and the control plane (kubelet, webhooks, the
 *   API server's proxy: TCP 443 and 1025-65535);
 * - on the cluster security group: HTTPS from the nodes, so the kubelet reaches the API server.
 */
export class NodeNetworkRules extends Construct {
  readonly allowList: readonly EgressAllowance[];
  /** Every rule, for `depends_on` of what needs the network open (node groups). */
  readonly rules: (VpcSecurityGroupEgressRule | VpcSecurityGroupIngressRule)[] = [];

  constructor(scope: Construct, id: string, props: NodeNetworkRulesProps) {
    super(scope, id);
    const { provider } = props;
    const nodes = props.nodeSecurityGroup.id;
    const cluster = props.clusterSecurityGroupId;
    this.allowList = nodeEgressAllowList(props.stores ?? []);
    if (this.allowList.length > SECURITY_GROUP_RULE_QUOTA) {
      const count = this.allowList.length;
      this.node.addValidation({
        validate: () => [
          `${count} egress rules on the node security group exceed the default quota of ${SECURITY_GROUP_RULE_QUOTA} rules per direction: raise the quota or merge destinations`,
        ],
      });
    }
    for (const a of this.allowList) {
      const to =
        'cidr' in a.to
          ? { cidrIpv4: a.to.cidr }
          : { referencedSecurityGroupId: a.to.group === 'nodes' ? nodes : cluster };
      this.rules.push(
        new VpcSecurityGroupEgressRule(this, `egress-${a.id}`, {
          provider,
          securityGroupId: nodes,
          description: a.why.slice(0, 255),
          ipProtocol: a.protocol,
          fromPort: a.fromPort,
          toPort: a.toPort,
          ...to,
        }),
      );
    }
    this.rules.push(
      new VpcSecurityGroupIngressRule(this, 'ingress-nodes', {
        provider,
        securityGroupId: nodes,
        description: 'Pod to pod and node to node',
        ipProtocol: '-1',
        referencedSecurityGroupId: nodes,
      }),
    );
    for (const [suffix, fromPort, toPort] of [
      ['https', 443, 443],
      ['high-ports', 1025, 65535],
    ] as const) {
      this.rules.push(
        new VpcSecurityGroupIngressRule(this, `ingress-control-plane-${suffix}`, {
          provider,
          securityGroupId: nodes,
          description: 'Control plane to kubelets and admission webhooks',
          ipProtocol: 'tcp',
          fromPort,
          toPort,
          referencedSecurityGroupId: cluster,
        }),
      );
    }
    this.rules.push(
      new VpcSecurityGroupIngressRule(this, 'cluster-ingress-nodes', {
        provider,
        securityGroupId: cluster,
        description: 'Kubelets and pods to the Kubernetes API',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        referencedSecurityGroupId: nodes,
      }),
    );
  }
}
