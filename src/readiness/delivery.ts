/**
 * Deploy readiness, delivery path (docs/delivery.md, "Reaching the private clusters"): for every
 * region whose CodeBuild runner or Terraform Cloud agents are on, proves from the regional stack that
 * they can reach the private Kubernetes API endpoint:
 *
 * - the runner (CodeBuild project) or agent (ECS service) carries the group of the plan's name and
 *   sits in the subnets of the cluster's endpoint ENIs (the same VPC, the same route tables);
 * - that group lets TCP 443 out (to 0.0.0.0/0 or to the cluster security group);
 * - the EKS cluster security group admits that group on TCP 443.
 *
 * All in one stack, so references are compared as written (`${aws_security_group.x.id}`).
 */
import { deliveryRegionPlan } from '../plan/delivery';
import type { CheckResult, Finding, Proven, ReadinessCheck, TerraformJson } from './types';

type Body = Record<string, unknown>;

const API_PORT = 443;
const first = (value: unknown): Body | undefined => (Array.isArray(value) ? value[0] : value) as Body | undefined;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function named(stack: TerraformJson, type: string, name: string): [string, Body] | undefined {
  return Object.entries(stack.resource?.[type] ?? {}).find(([, body]) => body.name === name);
}

function opensPort(rule: Body): boolean {
  if (String(rule.ip_protocol) === '-1') return true;
  return String(rule.ip_protocol) === 'tcp' && Number(rule.from_port) <= API_PORT && API_PORT <= Number(rule.to_port);
}

/** The rules (ids) proving the group's way to the endpoint, or what is missing. */
function endpointRules(
  stack: TerraformJson,
  group: string,
  clusterGroup: string,
): { evidence?: string; problem?: string } {
  const egress = Object.entries(stack.resource?.aws_vpc_security_group_egress_rule ?? {}).find(
    ([, r]) =>
      r.security_group_id === group &&
      opensPort(r) &&
      (r.cidr_ipv4 === '0.0.0.0/0' || r.referenced_security_group_id === clusterGroup),
  );
  const ingress = Object.entries(stack.resource?.aws_vpc_security_group_ingress_rule ?? {}).find(
    ([, r]) => r.security_group_id === clusterGroup && r.referenced_security_group_id === group && opensPort(r),
  );
  if (!egress) return { problem: `no egress rule on its security group opens TCP ${API_PORT}` };
  if (!ingress) return { problem: `the EKS cluster security group admits it on no rule for TCP ${API_PORT}` };
  return {
    evidence: `egress aws_vpc_security_group_egress_rule.${egress[0]}, cluster ingress aws_vpc_security_group_ingress_rule.${ingress[0]}`,
  };
}

/** A runner or agent: the resource that runs it, and where its groups and subnets are in its body. */
interface Member {
  readonly what: string;
  readonly type: string;
  readonly name: string;
  readonly securityGroup: string;
  readonly groups: (body: Body) => string[];
  readonly subnets: (body: Body) => string[];
}

export const checkDelivery: ReadinessCheck = ({ plan, stacks }): CheckResult => {
  const proven: Proven[] = [];
  const findings: Finding[] = [];
  for (const region of plan.regions) {
    const names = deliveryRegionPlan(plan.config, region.key);
    if (!names.runner && !names.agent) continue;
    const stackId = region.stackIds.regional;
    const stack = stacks[stackId];
    const cluster = Object.entries(stack?.resource?.aws_eks_cluster ?? {})[0];
    if (!stack || !cluster) {
      findings.push({
        check: 'delivery',
        subject: stackId,
        problem: 'no EKS cluster in the regional stack to deliver the workloads stack to',
      });
      continue;
    }
    const clusterGroup = `\${aws_eks_cluster.${cluster[0]}.vpc_config[0].cluster_security_group_id}`;
    const endpointSubnets = strings(first(cluster[1].vpc_config)?.subnet_ids);
    const members: Member[] = [];
    if (names.runner)
      members.push({
        what: `GitHub runner ${names.runner.project}`,
        type: 'aws_codebuild_project',
        name: names.runner.project,
        securityGroup: names.runner.securityGroup,
        groups: (b) => strings(first(b.vpc_config)?.security_group_ids),
        subnets: (b) => strings(first(b.vpc_config)?.subnets),
      });
    if (names.agent)
      members.push({
        what: `Terraform Cloud agents ${names.agent.cluster}`,
        type: 'aws_ecs_service',
        name: names.agent.service,
        securityGroup: names.agent.securityGroup,
        groups: (b) => strings(first(b.network_configuration)?.security_groups),
        subnets: (b) => strings(first(b.network_configuration)?.subnets),
      });
    for (const m of members) {
      const subject = `${region.key}: ${m.what} -> EKS API ${API_PORT}`;
      const fail = (problem: string) => findings.push({ check: 'delivery', subject, problem });
      const member = named(stack, m.type, m.name);
      const sg = named(stack, 'aws_security_group', m.securityGroup);
      if (!member || !sg) {
        fail(`${stackId} has no ${member ? 'aws_security_group' : m.type} named ${member ? m.securityGroup : m.name}`);
        continue;
      }
      const group = `\${aws_security_group.${sg[0]}.id}`;
      if (!m.groups(member[1]).includes(group)) {
        fail(`${m.type}.${member[0]} does not carry security group ${sg[1].name as string}`);
        continue;
      }
      const outside = m.subnets(member[1]).filter((s) => !endpointSubnets.includes(s));
      if (m.subnets(member[1]).length === 0 || outside.length > 0) {
        fail(
          `${m.type}.${member[0]} runs outside the subnets of the cluster endpoint (${outside.join(', ') || 'none'})`,
        );
        continue;
      }
      const rules = endpointRules(stack, group, clusterGroup);
      if (rules.problem) fail(rules.problem);
      else proven.push({ check: 'delivery', subject, evidence: `${stackId}: ${rules.evidence}` });
    }
  }
  return { proven, findings };
};
