import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AccessLogSink } from '../modules/storage/access-log-sink';
import { roleArnPattern } from '../modules/storage/protection';
import { SecureBucket } from '../modules/storage/secure-bucket';
import { DESTRUCTIVE_OBJECT_ACTIONS, PROTECTED_CONFIGURATION_ACTIONS } from '../modules/storage/settings';
import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';
import { TEST_ACCOUNT } from './support/fixtures';

type Body = Record<string, unknown>;
type Statement = {
  sid?: string;
  effect: string;
  actions: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
};

/** Statements of the policy document a `${data.aws_iam_policy_document.<name>.json}` reference names. */
function statementsOf(stack: StackJson, reference: unknown): Statement[] {
  const name = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(reference))?.[1];
  if (!name) throw new Error(`not a policy document reference: ${String(reference)}`);
  return (stack.data!.aws_iam_policy_document[name].statement as Statement[]) ?? [];
}
const condition = (s: Statement, variable: string) => s.condition?.find((c) => c.variable === variable);
/** The body of the bucket whose name starts with `prefix`, with its Terraform name. */
function bucketNamed(stack: StackJson, prefix: string): [string, Body] {
  const found = Object.entries(stack.resource!.aws_s3_bucket).filter(([, b]) => String(b.bucket).startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0];
}
const configOf = (stack: StackJson, type: string, bucketId: string) =>
  resources(stack, type).filter((r) => String(r.bucket).includes(`aws_s3_bucket.${bucketId}.`));

describe('SecureBucket with Object Lock and protection, and an access-log sink (small stack)', () => {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const admins = [roleArnPattern('aws', TEST_ACCOUNT, 'break-glass'), roleArnPattern('aws', TEST_ACCOUNT, 'deploy')];
  const locked = new SecureBucket(stack, 'locked', {
    bucketName: 'locked',
    kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k',
    dataClass: 'audit',
    objectLock: { mode: 'governance', days: 30 },
    protection: { adminPrincipalArns: admins },
  });
  new SecureBucket(stack, 'markers', {
    bucketName: 'markers',
    kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k',
    objectLock: { mode: 'compliance', days: 0 },
    protection: { adminPrincipalArns: admins, allowDeleteMarkers: true },
  });
  const sink = new AccessLogSink(stack, 'sink', { bucketName: 'sink', accountId: TEST_ACCOUNT, retentionDays: 90 });
  sink.logFrom(locked, 'locked');
  const json = JSON.parse(Testing.synth(stack)) as StackJson;
  const [lockedId] = bucketNamed(json, 'locked');
  const [markersId] = bucketNamed(json, 'markers');
  const [sinkId] = bucketNamed(json, 'sink');

  test('Object Lock: enabled after versioning, a default retention only when days > 0', () => {
    const lock = configOf(json, 'aws_s3_bucket_object_lock_configuration', lockedId)[0];
    expect(lock).toMatchObject({
      object_lock_enabled: 'Enabled',
      rule: { default_retention: { mode: 'GOVERNANCE', days: 30 } },
    });
    expect(lock.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
    const bare = configOf(json, 'aws_s3_bucket_object_lock_configuration', markersId)[0];
    expect(bare.object_lock_enabled).toBe('Enabled');
    expect(bare.rule).toBeUndefined();
  });

  test('the bucket is tagged with its data class (the policy pack finds protected buckets by it)', () => {
    expect(json.resource!.aws_s3_bucket[lockedId].tags).toEqual({ 'data-class': 'audit' });
  });

  test('the policy denies destruction and weakening to all but the listed roles; the deploy role stays able to apply', () => {
    const statements = statementsOf(json, configOf(json, 'aws_s3_bucket_policy', lockedId)[0].policy);
    const denies = statements.filter((s) => s.effect === 'Deny' && condition(s, 'aws:PrincipalArn'));
    expect(denies).toHaveLength(2);
    for (const s of denies) {
      expect(s.principals).toEqual([{ type: '*', identifiers: ['*'] }]);
      expect(condition(s, 'aws:PrincipalArn')).toEqual({
        test: 'ArnNotLike',
        variable: 'aws:PrincipalArn',
        values: ['arn:aws:iam::111122223333:role/break-glass', 'arn:aws:iam::111122223333:role/deploy'],
      });
    }
    const denied = denies.flatMap((s) => s.actions);
    expect(denied).toEqual(
      expect.arrayContaining(['s3:DeleteObject', ...DESTRUCTIVE_OBJECT_ACTIONS, ...PROTECTED_CONFIGURATION_ACTIONS]),
    );
    // What Terraform needs on first apply (policy, lifecycle, lock, versioning, logging) is among the
    // denied actions: only the exemption of the deploy role lets the apply finish.
    expect(denied).toEqual(
      expect.arrayContaining([
        's3:PutBucketPolicy',
        's3:PutLifecycleConfiguration',
        's3:PutBucketObjectLockConfiguration',
      ]),
    );
  });

  test('allowDeleteMarkers keeps s3:DeleteObject open but not version deletes', () => {
    const denied = statementsOf(json, configOf(json, 'aws_s3_bucket_policy', markersId)[0].policy)
      .filter((s) => s.effect === 'Deny')
      .flatMap((s) => s.actions);
    expect(denied).not.toContain('s3:DeleteObject');
    expect(denied).toEqual(expect.arrayContaining(['s3:DeleteObjectVersion', 's3:BypassGovernanceRetention']));
  });

  test('the sink: SSE-S3, admits logging.s3.amazonaws.com for that source only, logging waits for its policy', () => {
    const sse = configOf(json, 'aws_s3_bucket_server_side_encryption_configuration', sinkId)[0];
    expect(sse.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
    const writes = statementsOf(json, configOf(json, 'aws_s3_bucket_policy', sinkId)[0].policy).filter((s) =>
      s.principals?.[0]?.identifiers.includes('logging.s3.amazonaws.com'),
    );
    expect(writes).toHaveLength(1);
    expect(writes[0].actions).toEqual(['s3:PutObject']);
    expect(writes[0].resources).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.sink_bucket_[A-F0-9]+\.arn\}\/locked\/\*$/),
    ]);
    expect(condition(writes[0], 'aws:SourceAccount')?.values).toEqual([TEST_ACCOUNT]);
    expect(condition(writes[0], 'aws:SourceArn')?.values).toEqual([`\${aws_s3_bucket.${lockedId}.arn}`]);
    const logging = configOf(json, 'aws_s3_bucket_logging', lockedId)[0];
    expect(logging).toMatchObject({ target_prefix: 'locked/' });
    expect(logging.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.sink_bucket_policy/)]);
    expect(configOf(json, 'aws_s3_bucket_logging', sinkId)).toEqual([]);
  });

  test('a prefix is used once per sink', () => {
    expect(() => sink.logFrom(locked, 'locked')).toThrow(/used twice/);
  });
});

describe('storage, audit and key controls in the production synth', () => {
  const synth = defaultSynth('production');
  const plan = resolvePlan(production);
  const primary = plan.primary;
  const region = (key: string) => synth.stack(`region-${key}`);
  const global = synth.stack('global');
  const KEYS = plan.regions.map((r) => r.key);
  const account = /\$\{data\.aws_caller_identity\.[^}]+\}/;

  test.each(synth.stackIds)('%s: every bucket but a sink logs server access', (id) => {
    const stack = synth.stack(id);
    const buckets = Object.entries(stack.resource?.aws_s3_bucket ?? {});
    const sinks = buckets.filter(([, b]) => /access-logs/.test(String(b.bucket)));
    for (const [bucketId] of buckets) {
      const logs = configOf(stack, 'aws_s3_bucket_logging', bucketId);
      if (sinks.some(([s]) => s === bucketId)) expect(logs).toEqual([]);
      else expect(logs).toHaveLength(1);
    }
    // Region stacks: sink, archive, ClickHouse backups, ALB logs; the bootstrap: a sink per state region.
    if (id.startsWith('region-')) expect([buckets.length, sinks.length]).toEqual([4, 1]);
    if (id === 'state-bootstrap') expect([buckets.length, sinks.length]).toEqual([4, 2]);
  });

  test.each(KEYS)('%s: archive and backups are locked, on their own keys, and protected', (key) => {
    const stack = region(key);
    const keyId = (alias: string) =>
      Object.entries(stack.resource!.aws_kms_alias).find(([, a]) => String(a.name).endsWith(alias))![1]
        .target_key_id as string;
    for (const [prefix, purpose, days, alias] of [
      ['mi-production-' + key + '-log-archive', 'audit', 365, '-audit'],
      ['mi-production-' + key + '-clickhouse-backups', 'backup', 0, '-backup'],
    ] as const) {
      const [id, bucket] = bucketNamed(stack, prefix);
      expect(bucket.tags).toMatchObject({ 'data-class': purpose });
      const lock = configOf(stack, 'aws_s3_bucket_object_lock_configuration', id)[0];
      expect(lock.object_lock_enabled).toBe('Enabled');
      expect(lock.rule).toEqual(days > 0 ? { default_retention: { mode: 'GOVERNANCE', days } } : undefined);
      const sse = configOf(stack, 'aws_s3_bucket_server_side_encryption_configuration', id)[0] as {
        rule: { apply_server_side_encryption_by_default: { kms_master_key_id: string } }[];
      };
      const kmsKey = sse.rule[0].apply_server_side_encryption_by_default.kms_master_key_id;
      expect(kmsKey.replace('.arn', '.key_id')).toBe(keyId(alias));
      const denies = statementsOf(stack, configOf(stack, 'aws_s3_bucket_policy', id)[0].policy).filter(
        (s) => s.effect === 'Deny' && condition(s, 'aws:PrincipalArn'),
      );
      const exempt = condition(denies[0], 'aws:PrincipalArn')!.values;
      expect(exempt).toHaveLength(2);
      expect(exempt[0]).toMatch(/:role\/mi-production-break-glass$/);
      expect(exempt[1]).toMatch(/:role\/mi-production-deploy$/);
      expect(denies.flatMap((s) => s.actions).includes('s3:DeleteObject')).toBe(purpose === 'audit');
    }
  });

  test.each(KEYS)(
    '%s: the audit and backup keys admit no service but logs and (primary) CloudTrail, each bound to its source',
    (key) => {
      const stack = region(key);
      const keys = Object.entries(stack.resource!.aws_kms_key);
      const purposeOf = (k: Body) => (k.tags as Record<string, string> | undefined)?.['key-purpose'];
      const services = (purpose: string) =>
        statementsOf(stack, keys.find(([, k]) => purposeOf(k) === purpose)![1].policy)
          .filter((s) => s.principals?.some((p) => p.type === 'Service'))
          .map((s) => s.sid);
      expect(services('backup')).toEqual([]);
      const audit = services('audit');
      expect(audit).toEqual(
        key === primary.key
          ? [
              'CloudWatchLogs',
              'CloudTrailEncrypt',
              'CloudTrailDescribeKey',
              'CloudTrailNotifications',
              'FirehoseLogExport',
            ]
          : ['CloudWatchLogs', 'FirehoseLogExport'],
      );
    },
  );

  test('the trail: audit key, notification topic it may publish to, S3 data events of state, archives and backups', () => {
    const trail = resources(global, 'aws_cloudtrail')[0];
    expect(String(trail.kms_key_id)).toMatch(/audit-kms_key_[A-F0-9]+arn\}$/);
    const topicName = /\$\{aws_sns_topic\.([^.]+)\.name\}/.exec(String(trail.sns_topic_name))![1];
    const topic = global.resource!.aws_sns_topic[topicName];
    expect(topic.name).toBe(plan.names.trailNotifications);
    expect(String(topic.kms_master_key_id)).toMatch(/audit-kms_key_[A-F0-9]+arn\}$/);
    const topicPolicy = resources(global, 'aws_sns_topic_policy').find((p) => String(p.arn).includes(topicName))!;
    const publish = statementsOf(global, topicPolicy.policy).find((s) => s.sid === 'CloudTrailPublish')!;
    expect(condition(publish, 'aws:SourceArn')?.values).toEqual([
      expect.stringMatching(new RegExp(`:cloudtrail:${primary.code}:.*:trail/${plan.names.trail}$`)),
    ]);
    expect(trail.depends_on).toEqual([expect.stringContaining('aws_sns_topic_policy.')]);
    // The key policy names the same topic the trail publishes to (computed from the same names).
    const auditKey = Object.values(region(primary.key).resource!.aws_kms_key).find(
      (k) => (k.tags as Record<string, string>)['key-purpose'] === 'audit',
    )!;
    const notify = statementsOf(region(primary.key), auditKey.policy).find((s) => s.sid === 'CloudTrailNotifications')!;
    expect(condition(notify, 'kms:EncryptionContext:aws:sns:topicArn')?.values).toEqual([
      expect.stringMatching(new RegExp(`:sns:${primary.code}:.*:${plan.names.trailNotifications}$`)),
    ]);
    const selectors = trail.advanced_event_selector as {
      field_selector: { field: string; equals?: string[]; starts_with?: string[] }[];
    }[];
    expect(selectors[0].field_selector).toEqual([{ field: 'eventCategory', equals: ['Management'] }]);
    const arns = selectors[1].field_selector.find((f) => f.field === 'resources.ARN')!.starts_with!;
    expect(arns).toHaveLength(2 + 2 * KEYS.length);
    expect(arns.slice(0, 2)).toEqual([
      `arn:\${data.aws_partition.partition.partition}:s3:::${production.state.bucket}/`,
      `arn:\${data.aws_partition.partition.partition}:s3:::${production.state.replicaBucket}/`,
    ]);
    expect(selectors[1].field_selector.some((f) => f.field === 'readOnly')).toBe(false);
  });

  test('replication: archives, backups and ALB logs to the next region, none copying delete markers', () => {
    const replications = resources(global, 'aws_s3_bucket_replication_configuration');
    expect(replications).toHaveLength(3 * KEYS.length);
    for (const r of replications) {
      expect((r.rule as Body[])[0].delete_marker_replication).toEqual({ status: 'Disabled' });
    }
    const roles = Object.values(global.data!.aws_iam_policy_document).flatMap(
      (d) => (d.statement as Statement[]) ?? [],
    );
    expect(roles.filter((s) => s.actions.includes('s3:ReplicateDelete'))).toEqual([]);
    const state = resources(synth.stack('state-bootstrap'), 'aws_s3_bucket_replication_configuration')[0];
    expect((state.rule as Body[])[0].delete_marker_replication).toEqual({ status: 'Disabled' });
  });

  test.each(KEYS)('data-%s: the AWS Backup vault and the ClickHouse role use the backup key', (key) => {
    const stack = synth.stack(`data-${key}`);
    expect(String(resources(stack, 'aws_backup_vault')[0].kms_key_arn)).toMatch(/backup-kms_key_[A-F0-9]+arn\}$/);
    const grant = Object.values(stack.data!.aws_iam_policy_document)
      .flatMap((d) => (d.statement as Statement[]) ?? [])
      .find((s) => s.sid === 'UseBucketKey')!;
    expect(String(grant.resources)).toMatch(/backup-kms_key_[A-F0-9]+arn\}$/);
    expect(condition(grant, 'kms:ViaService')?.values).toEqual([
      `s3.${plan.regions.find((r) => r.key === key)!.code}.amazonaws.com`,
    ]);
  });

  test('no bucket writer needs a denied action: CloudTrail, Firehose, S3 replication only put objects', () => {
    const stack = region(primary.key);
    const [archiveId] = bucketNamed(stack, `mi-production-${primary.key}-log-archive`);
    const statements = statementsOf(stack, configOf(stack, 'aws_s3_bucket_policy', archiveId)[0].policy);
    const denied = new Set(
      statements.filter((s) => s.effect === 'Deny' && condition(s, 'aws:PrincipalArn')).flatMap((s) => s.actions),
    );
    const trailWrites = statements.filter((s) => s.effect === 'Allow').flatMap((s) => s.actions);
    expect(trailWrites.filter((a) => denied.has(a))).toEqual([]);
    const firehose = Object.values(stack.data!.aws_iam_policy_document)
      .flatMap((d) => (d.statement as Statement[]) ?? [])
      .filter((s) => s.sid === 'Objects' || s.sid === 'Bucket')
      .flatMap((s) => s.actions);
    expect(firehose.length).toBeGreaterThan(0);
    expect(firehose.filter((a) => denied.has(a))).toEqual([]);
    expect(String(account)).toBeTruthy();
  });
});
