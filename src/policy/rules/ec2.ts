import { INTERNET_FACING_LB_TAG } from '../../../modules/common/policy';
import { asNumber, block, blocks, isCustomerManagedKey, isTrue, nested, references, strings } from '../attributes';
import type { ResourceView, StackFinding, StackView } from '../types';
import { problemUnless, resourceRule, stackRule } from './define';

const SERVICE = 'EC2/VPC';
const WORLD = ['0.0.0.0/0', '::/0'];
/** Ports an internet-facing load balancer may open to the world. */
export const PUBLIC_LB_PORTS = [80, 443] as const;

interface Ingress {
  readonly cidrs: readonly string[];
  readonly protocol: unknown;
  readonly fromPort: unknown;
  readonly toPort: unknown;
}

function isLoadBalancerGroup(sg: ResourceView | undefined): boolean {
  const tags = (sg?.attributes.tags ?? {}) as Record<string, unknown>;
  return tags[INTERNET_FACING_LB_TAG.key] === INTERNET_FACING_LB_TAG.value;
}

function worldOpenProblem(ingress: Ingress, group: ResourceView | undefined): string | undefined {
  const open = ingress.cidrs.filter((c) => WORLD.includes(c));
  if (open.length === 0) return undefined;
  const from = asNumber(ingress.fromPort);
  const to = asNumber(ingress.toPort);
  const allProtocols = String(ingress.protocol) === '-1';
  const webPort =
    !allProtocols && from !== undefined && from === to && (PUBLIC_LB_PORTS as readonly number[]).includes(from);
  if (webPort && isLoadBalancerGroup(group)) return undefined;
  const ports = allProtocols ? 'all ports' : `ports ${String(ingress.fromPort)}-${String(ingress.toPort)}`;
  return webPort
    ? `ingress from ${open.join(', ')} on ${ports}, but the security group is not tagged ${INTERNET_FACING_LB_TAG.key}=${INTERNET_FACING_LB_TAG.value}`
    : `ingress from ${open.join(', ')} on ${ports}`;
}

function worldOpenIngress(stack: StackView): StackFinding[] {
  const findings: StackFinding[] = [];
  const add = (resource: ResourceView, problem: string | undefined) => {
    if (problem) findings.push({ resource, problem });
  };
  for (const sg of stack.ofType('aws_security_group')) {
    for (const rule of blocks(sg.attributes.ingress)) {
      add(
        sg,
        worldOpenProblem(
          {
            cidrs: [...strings(rule.cidr_blocks), ...strings(rule.ipv6_cidr_blocks)],
            protocol: rule.protocol,
            fromPort: rule.from_port,
            toPort: rule.to_port,
          },
          sg,
        ),
      );
    }
  }
  for (const rule of stack.ofType('aws_security_group_rule')) {
    if (rule.attributes.type !== 'ingress') continue;
    const a = rule.attributes;
    add(
      rule,
      worldOpenProblem(
        {
          cidrs: [...strings(a.cidr_blocks), ...strings(a.ipv6_cidr_blocks)],
          protocol: a.protocol,
          fromPort: a.from_port,
          toPort: a.to_port,
        },
        stack.referenced(a.security_group_id),
      ),
    );
  }
  for (const rule of stack.ofType('aws_vpc_security_group_ingress_rule')) {
    const a = rule.attributes;
    add(
      rule,
      worldOpenProblem(
        {
          cidrs: [...strings(a.cidr_ipv4), ...strings(a.cidr_ipv6)],
          protocol: a.ip_protocol,
          fromPort: a.from_port,
          toPort: a.to_port,
        },
        stack.referenced(a.security_group_id),
      ),
    );
  }
  return findings;
}

function ebsProblems(device: Readonly<Record<string, unknown>>, where: string): string[] {
  return problemUnless(
    isTrue(device.encrypted) && isCustomerManagedKey(device.kms_key_id),
    `${where} is not encrypted with a customer-managed kms_key_id`,
  );
}

export const ec2Rules = [
  stackRule({
    id: 'MRP-EC2-1',
    service: SERVICE,
    rationale: `No ingress from 0.0.0.0/0 or ::/0, except ports ${PUBLIC_LB_PORTS.join('/')} on security groups tagged ${INTERNET_FACING_LB_TAG.key}=${INTERNET_FACING_LB_TAG.value}.`,
    check: worldOpenIngress,
  }),
  resourceRule({
    id: 'MRP-EC2-2',
    service: SERVICE,
    rationale: 'Subnets never hand out public IPs on launch: only load balancers and NAT gateways face the internet.',
    appliesTo: ['aws_subnet', 'aws_default_subnet'],
    check: (r) => problemUnless(!isTrue(r.attributes.map_public_ip_on_launch), 'map_public_ip_on_launch is true'),
  }),
  resourceRule({
    id: 'MRP-EC2-3',
    service: SERVICE,
    rationale: 'Instances require IMDSv2 (metadata_options.http_tokens = required), blocking SSRF credential theft.',
    appliesTo: ['aws_launch_template', 'aws_instance'],
    check: (r) => {
      const options = nested(r.attributes, 'metadata_options');
      return problemUnless(
        options?.http_tokens === 'required' || options?.http_endpoint === 'disabled',
        `metadata_options.http_tokens is ${String(options?.http_tokens ?? 'unset (optional)')}, expected required`,
      );
    },
  }),
  resourceRule({
    id: 'MRP-EC2-4',
    service: SERVICE,
    rationale: 'EBS volumes (launch templates, instances, volumes) are encrypted with a customer-managed KMS key.',
    appliesTo: ['aws_launch_template', 'aws_instance', 'aws_ebs_volume'],
    check: (r) => {
      const a = r.attributes;
      if (r.type === 'aws_ebs_volume') return ebsProblems(a, 'the volume');
      if (r.type === 'aws_instance') {
        return [
          ...ebsProblems(block(a.root_block_device) ?? {}, 'root_block_device'),
          ...blocks(a.ebs_block_device).flatMap((d) => ebsProblems(d, `ebs_block_device ${String(d.device_name)}`)),
        ];
      }
      const mappings = blocks(a.block_device_mappings);
      // Without a mapping the root volume follows the AMI (unencrypted unless account defaults say otherwise).
      if (mappings.length === 0) return ['no block_device_mappings: the root volume is not encrypted with a CMK'];
      return mappings.flatMap((m) => ebsProblems(block(m.ebs) ?? {}, `block_device_mappings ${String(m.device_name)}`));
    },
  }),
  stackRule({
    id: 'MRP-EC2-5',
    service: SERVICE,
    rationale: 'Every VPC has a flow log.',
    check: (stack) =>
      stack
        .ofType('aws_vpc')
        .filter((vpc) => !stack.ofType('aws_flow_log').some((f) => references(f.attributes.vpc_id, vpc)))
        .map((resource) => ({ resource, problem: 'VPC has no aws_flow_log' })),
  }),
  resourceRule({
    id: 'MRP-EC2-6',
    service: SERVICE,
    rationale: 'Instances get no public IP address.',
    appliesTo: ['aws_instance'],
    check: (r) =>
      problemUnless(!isTrue(r.attributes.associate_public_ip_address), 'associate_public_ip_address is true'),
  }),
  stackRule({
    id: 'MRP-EC2-7',
    service: SERVICE,
    rationale: "Every VPC's default security group is managed with no rules, so nothing relies on it.",
    check: (stack) =>
      stack
        .ofType('aws_vpc')
        .filter(
          (vpc) =>
            !stack
              .ofType('aws_default_security_group')
              .some(
                (sg) =>
                  references(sg.attributes.vpc_id, vpc) &&
                  blocks(sg.attributes.ingress).length === 0 &&
                  blocks(sg.attributes.egress).length === 0,
              ),
        )
        .map((resource) => ({ resource, problem: 'VPC has no aws_default_security_group without rules' })),
  }),
];
