import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { checkIam, SAMPLE_ACCOUNT } from '../src/readiness/iam';
import type { ReadinessInput, TerraformJson } from '../src/readiness/types';
import { defaultSynth } from './support/shared-synth';

// GIVEN the default production synth and its plan
const plan = resolvePlan(production);
const synth = defaultSynth('production');
const stacks = (): Record<string, TerraformJson> =>
  Object.fromEntries(synth.stackIds.map((id) => [id, structuredClone(synth.stack(id)) as TerraformJson]));
const primary = plan.primary;
const role = `${primary.names.eksCluster}-application`;

type Statement = { sid?: string; actions: string[]; resources: string[] };

/** The statements of the primary's application data-access policy in a copy of the synth. */
function dataAccessStatements(all: Record<string, TerraformJson>): Statement[] {
  const stack = all[primary.stackIds.regional];
  const [attachment] = Object.values(stack.resource?.aws_iam_role_policy ?? {}).filter((p) => p.role === role);
  const ref = /aws_iam_policy_document\.([\w-]+)\.json/.exec(String(attachment.policy))![1];
  return stack.data!.aws_iam_policy_document[ref].statement as Statement[];
}

async function findingsWith(change: (statements: Statement[]) => void): Promise<string[]> {
  const all = stacks();
  change(dataAccessStatements(all));
  const input: ReadinessInput = { plan, stacks: all };
  return (await checkIam(input)).findings.map((f) => `${f.subject}: ${f.problem}`);
}

describe('IAM readiness of the default production synth', () => {
  test('every application data path is Allowed on its ARN and every least-privilege sample denied', async () => {
    // WHEN
    const { proven, findings } = await checkIam({ plan, stacks: stacks() });
    // THEN
    expect(findings).toEqual([]);
    const paths = plan.dataPaths.filter((p) => p.client === 'application');
    expect(paths.length).toBeGreaterThan(0);
    for (const region of plan.regions) {
      const name = `${region.names.eksCluster}-application`;
      expect(proven.filter((p) => p.subject.startsWith(`${name}: `)).length).toBeGreaterThan(10);
      expect(proven).toContainEqual(expect.objectContaining({ subject: `${name}: least privilege` }));
    }
    expect(proven).toContainEqual(
      expect.objectContaining({
        subject: expect.stringContaining('aurora-writer') as string,
        evidence: expect.stringContaining(
          `arn:aws:rds-db:${primary.code}:${SAMPLE_ACCOUNT}:dbuser:cluster-SAMPLE`,
        ) as string,
      }),
    );
  });
});

test('the application produces to its own topics and only consumes the replicas of the other regions', () => {
  const statements = dataAccessStatements(stacks());
  const own = statements.find((s) => s.sid === 'KafkaTopics')!;
  const replicated = statements.find((s) => s.sid === 'KafkaReplicatedTopics')!;
  expect(own.actions.sort()).toEqual([
    'kafka-cluster:DescribeTopic',
    'kafka-cluster:ReadData',
    'kafka-cluster:WriteData',
  ]);
  expect(own.resources).toHaveLength(1);
  expect(replicated.actions.sort()).toEqual(['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData']);
  // One replica per peer, prefixed with its region key (MirrorMaker 2's alias).
  expect(replicated.resources.map((r) => /\/\*\/([\w-]+)\./.exec(r)?.[1]).sort()).toEqual(
    primary.peers.map((p) => p.key).sort(),
  );
});

describe('planted defects fail naming the role, the action and the ARN', () => {
  test('a removed action (kafka-cluster:WriteData)', async () => {
    const findings = await findingsWith((statements) => {
      const topics = statements.find((s) => s.sid === 'KafkaTopics')!;
      topics.actions = topics.actions.filter((a) => a !== 'kafka-cluster:WriteData');
    });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.join('\n')).toMatch(
      new RegExp(
        `${primary.stackIds.regional}: role ${role}: kafka-cluster:WriteData on arn:aws:kafka:${primary.code}:${SAMPLE_ACCOUNT}:topic/${primary.names.mskCluster}/\\S+ is ImplicitlyDenied`,
      ),
    );
  });

  test('a cluster statement without WriteDataIdempotently (default producers fail)', async () => {
    const findings = await findingsWith((statements) => {
      const connect = statements.find((s) => s.sid === 'KafkaConnect')!;
      connect.actions = connect.actions.filter((a) => a !== 'kafka-cluster:WriteDataIdempotently');
    });
    expect(findings.join('\n')).toMatch(
      new RegExp(
        `role ${role}: kafka-cluster:WriteDataIdempotently on arn:aws:kafka:${primary.code}:${SAMPLE_ACCOUNT}:cluster/${primary.names.mskCluster}/\\S+ is ImplicitlyDenied`,
      ),
    );
  });

  test('a replicated topic made writable fails least privilege', async () => {
    const findings = await findingsWith((statements) => {
      statements.find((s) => s.sid === 'KafkaReplicatedTopics')!.actions.push('kafka-cluster:WriteData');
    });
    expect(findings.join('\n')).toMatch(
      new RegExp(
        `role ${role}: kafka-cluster:WriteData on arn:aws:kafka:${primary.code}:${SAMPLE_ACCOUNT}:topic/${primary.names.mskCluster}/\\S+/${primary.peers[0].key}\\.\\S+ is Allowed \\(by [^)]+\\), but ${primary.key} application: least privilege: writing a replicated topic says it must not be`,
      ),
    );
  });

  test('a replicated topic missing from the policy', async () => {
    const peer = primary.peers[1].key;
    const findings = await findingsWith((statements) => {
      const replicated = statements.find((s) => s.sid === 'KafkaReplicatedTopics')!;
      replicated.resources = replicated.resources.filter((r) => !r.includes(`/${peer}.`));
    });
    expect(findings.join('\n')).toMatch(
      new RegExp(`role ${role}: kafka-cluster:ReadData on \\S+/${peer}\\.\\S+ is ImplicitlyDenied`),
    );
  });

  test('a wrong ARN (database user of the Aurora statement)', async () => {
    const findings = await findingsWith((statements) => {
      const aurora = statements.find((s) => s.sid === 'AuroraIamAuthentication')!;
      aurora.resources = aurora.resources.map((r) => r.replace(/\/[^/]+$/, '/someone_else'));
    });
    expect(findings.join('\n')).toMatch(
      new RegExp(
        `role ${role}: rds-db:connect on arn:aws:rds-db:${primary.code}:${SAMPLE_ACCOUNT}:dbuser:cluster-SAMPLE\\w+/marketintel_app is ImplicitlyDenied`,
      ),
    );
  });

  test('a resource widened to * fails least privilege', async () => {
    const findings = await findingsWith((statements) => {
      statements.find((s) => s.sid === 'AuroraIamAuthentication')!.resources = ['*'];
    });
    expect(findings.join('\n')).toMatch(
      new RegExp(
        `role ${role}: rds-db:connect on arn:aws:rds-db:${primary.code}:${SAMPLE_ACCOUNT}:dbuser:\\S+/${plan.config.data.aurora.masterUsername} is Allowed`,
      ),
    );
  });

  test('a cache member missing from the policy', async () => {
    const findings = await findingsWith((statements) => {
      const cache = statements.find((s) => s.sid === 'CacheIamAuthentication')!;
      cache.resources = cache.resources.filter((r) => !r.includes(`:${primary.code}:`));
    });
    expect(findings.join('\n')).toMatch(
      new RegExp(
        `role ${role}: elasticache:Connect on arn:aws:elasticache:${primary.code}:${SAMPLE_ACCOUNT}:replicationgroup:${primary.names.cacheReplicationGroup} is ImplicitlyDenied`,
      ),
    );
  });

  test('a role without its data-access policy', async () => {
    const all = stacks();
    const data = all[primary.stackIds.regional] as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    for (const [id, p] of Object.entries(data.resource.aws_iam_role_policy ?? {})) {
      if (p.role === role) delete data.resource.aws_iam_role_policy[id];
    }
    const { findings } = await checkIam({ plan, stacks: all });
    expect(findings.filter((f) => f.subject === `${primary.stackIds.regional}: role ${role}`).length).toBeGreaterThan(
      5,
    );
  });
});
