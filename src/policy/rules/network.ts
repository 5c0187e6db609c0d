import { asNumber, blocks, references, strings } from '../attributes';
import { expandAction } from '../iam-actions';
import { documentStatements, jsonStatements, type Statement } from '../statements';
import type { ResourceView, StackFinding, StackView } from '../types';
import { stackRule } from './define';

const SERVICE = 'EC2/VPC';
const WORLD = ['0.0.0.0/0', '::/0'];

/** Conditions that keep an endpoint statement to the account's (or organization's) resources or to AWS services. */
const RESOURCE_SCOPE_KEYS = ['aws:resourceaccount', 'aws:resourceorgid', 'aws:resourceorgpaths'];
const SERVICE_KEY = 'aws:principalisawsservice';
const PRINCIPAL_SCOPE_KEYS = ['aws:principalaccount', 'aws:principalorgid'];

const has = (s: Statement, keys: readonly string[]) =>
  s.conditions.some((c) => keys.includes(c.variable.toLowerCase()));

/** Every action of the statement is a named (no wildcard) Read or List action. */
function readOnly(s: Statement): boolean {
  if (s.actions.length === 0 || s.notActions.length > 0) return false;
  return s.actions.every((entry) => {
    if (/[*?]/.test(entry)) return false;
    const info = expandAction(entry);
    return (
      info !== undefined && info.length === 1 && (info[0].accessLevel === 'Read' || info[0].accessLevel === 'List')
    );
  });
}

/**
 * Why an Allow statement of an endpoint policy is not scoped, or undefined when it is: it needs a
 * resource-account (or organization) condition, the AWS-service condition, named resources, or
 * read-only actions for the account's own principals (image pulls from AWS-owned registries).
 */
export function unscopedEndpointStatement(s: Statement): string | undefined {
  if (s.effect !== 'Allow') return undefined;
  if (has(s, RESOURCE_SCOPE_KEYS) || has(s, [SERVICE_KEY])) return undefined;
  if (s.notResources.length === 0 && s.resources.length > 0 && !s.resources.includes('*')) return undefined;
  if (readOnly(s) && has(s, PRINCIPAL_SCOPE_KEYS)) return undefined;
  return `statement ${JSON.stringify(s.actions)} on "*" has no aws:ResourceAccount (or aws:PrincipalIsAWSService) condition`;
}

function endpointPolicyFindings(stack: StackView): StackFinding[] {
  const findings: StackFinding[] = [];
  for (const endpoint of stack.ofType('aws_vpc_endpoint')) {
    const policy = endpoint.attributes.policy;
    const document = stack.referenced(policy);
    const statements =
      document?.type === 'aws_iam_policy_document' && document.kind === 'data'
        ? documentStatements(document.attributes)
        : jsonStatements(policy);
    if (statements.length === 0) {
      findings.push({
        resource: endpoint,
        problem: 'no endpoint policy: the default lets any principal reach any account through the endpoint',
      });
      continue;
    }
    for (const s of statements) {
      const problem = unscopedEndpointStatement(s);
      if (problem) findings.push({ resource: endpoint, problem });
    }
  }
  return findings;
}

interface Egress {
  readonly cidrs: readonly string[];
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
}

/** Egress to the world on every protocol, or on every port of TCP or UDP. */
function worldOpenEgress(e: Egress): string | undefined {
  const open = e.cidrs.filter((c) => WORLD.includes(c));
  if (open.length === 0) return undefined;
  const protocol = String(e.protocol);
  if (protocol === '-1' || protocol === 'all') return `egress to ${open.join(', ')} on every protocol`;
  const from = asNumber(e.fromPort);
  const to = asNumber(e.toPort);
  if (from !== undefined && to !== undefined && from <= 0 && to >= 65535)
    return `egress to ${open.join(', ')} on every ${protocol} port`;
  return undefined;
}

function egressFindings(stack: StackView): StackFinding[] {
  const findings: StackFinding[] = [];
  const add = (resource: ResourceView, problem: string | undefined) => {
    if (problem) findings.push({ resource, problem });
  };
  for (const sg of stack.ofType('aws_security_group')) {
    for (const e of blocks(sg.attributes.egress)) {
      add(
        sg,
        worldOpenEgress({
          cidrs: [...strings(e.cidr_blocks), ...strings(e.ipv6_cidr_blocks)],
          protocol: e.protocol,
          fromPort: e.from_port,
          toPort: e.to_port,
        }),
      );
    }
  }
  for (const rule of stack.ofType('aws_security_group_rule')) {
    const a = rule.attributes;
    if (a.type !== 'egress') continue;
    add(
      rule,
      worldOpenEgress({
        cidrs: [...strings(a.cidr_blocks), ...strings(a.ipv6_cidr_blocks)],
        protocol: a.protocol,
        fromPort: a.from_port,
        toPort: a.to_port,
      }),
    );
  }
  for (const rule of stack.ofType('aws_vpc_security_group_egress_rule')) {
    const a = rule.attributes;
    add(
      rule,
      worldOpenEgress({
        cidrs: [...strings(a.cidr_ipv4), ...strings(a.cidr_ipv6)],
        protocol: a.ip_protocol,
        fromPort: a.from_port,
        toPort: a.to_port,
      }),
    );
  }
  return findings;
}

/** Node groups whose nodes would carry the EKS cluster security group (EKS-managed allow-all egress). */
function nodeGroupFindings(stack: StackView): StackFinding[] {
  return stack.ofType('aws_eks_node_group').flatMap((group): StackFinding[] => {
    const spec = blocks(group.attributes.launch_template)[0];
    const template = spec ? stack.referenced(spec.id ?? spec.name) : undefined;
    if (!template || template.type !== 'aws_launch_template') {
      return [
        {
          resource: group,
          problem:
            'no launch template of this stack with security groups: EKS puts the cluster security group (allow-all egress) on the nodes',
        },
      ];
    }
    const groups = strings(template.attributes.vpc_security_group_ids);
    if (groups.length === 0)
      return [{ resource: group, problem: `${template.address} lists no security group: EKS adds the cluster group` }];
    const cluster = stack
      .ofType('aws_eks_cluster')
      .filter((c) => groups.some((g) => references(g, c) && g.includes('cluster_security_group_id')));
    return cluster.length > 0
      ? [
          {
            resource: group,
            problem: `${template.address} puts the EKS cluster security group on the nodes: its EKS-managed rule lets everything out`,
          },
        ]
      : [];
  });
}

export const networkRules = [
  stackRule({
    id: 'MRP-VPC-1',
    service: SERVICE,
    rationale:
      "Every VPC endpoint has a policy whose statements keep to the account's resources (aws:ResourceAccount), AWS services or named exceptions.",
    check: endpointPolicyFindings,
  }),
  stackRule({
    id: 'MRP-VPC-2',
    service: SERVICE,
    rationale:
      'No security group lets every protocol (or every port) out to 0.0.0.0/0 or ::/0: egress is an allow-list.',
    check: egressFindings,
  }),
  stackRule({
    id: 'MRP-VPC-3',
    service: SERVICE,
    rationale:
      'EKS nodes carry their own security groups (launch template), not the EKS cluster group with its allow-all egress.',
    check: nodeGroupFindings,
  }),
];
