import { archiveLifecycleRule } from '../modules/audit/log-archive';
import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { defaultSynth } from './support/shared-synth';
import { allResources, resources, type StackJson } from './support/stack-json';

type Body = Record<string, unknown>;
const plan = resolvePlan(production);
const KEYS = plan.regions.map((r) => r.key);

describe('log archive and export (production synth)', () => {
  const synth = defaultSynth('production');
  const region = (key: string) => synth.stack(`region-${key}`);
  const archiveBucket = (stack: StackJson) =>
    Object.entries(stack.resource!.aws_s3_bucket).find(([id]) => id.includes('log-archive'))!;

  test.each(KEYS)(
    "%s: archive bucket is SSE-KMS with the region's audit key and tiered hot 7 -> warm 30 -> cold, expiring per config",
    (key) => {
      const stack = region(key);
      const [id, bucket] = archiveBucket(stack);
      expect(String(bucket.bucket)).toMatch(new RegExp(`^mi-production-${key}-log-archive-`));
      expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
      const sse = resources(stack, 'aws_s3_bucket_server_side_encryption_configuration').find((r) =>
        String(r.bucket).includes(id),
      )!;
      expect(sse.rule).toEqual([
        expect.objectContaining({
          apply_server_side_encryption_by_default: {
            sse_algorithm: 'aws:kms',
            kms_master_key_id: expect.stringContaining('aws_kms_key.audit-kms_key'),
          },
        }),
      ]);
      const lifecycle = resources(stack, 'aws_s3_bucket_lifecycle_configuration').find((r) =>
        String(r.bucket).includes(id),
      )!;
      const tiers = (lifecycle.rule as Body[]).find((r) => r.id === 'hot-warm-cold')!;
      expect(tiers.transition).toEqual([
        { days: 7, storage_class: 'GLACIER_IR' },
        { days: 30, storage_class: 'GLACIER' },
      ]);
      expect(tiers.expiration).toEqual([{ days: 2557 }]);
    },
  );

  test('each archive replicates to the next region, re-encrypted with the destination audit key', () => {
    const replications = resources(synth.stack('global'), 'aws_s3_bucket_replication_configuration').filter((r) =>
      String(r.bucket).includes('log-archive'),
    );
    expect(replications).toHaveLength(KEYS.length);
    const pairs = Object.fromEntries(replications.map((r) => [String(r.provider), (r.rule as Body[])[0]]));
    expect(Object.keys(pairs).sort()).toEqual(KEYS.map((key) => `aws.${key}`).sort());
    // In config order, wrapping around: us-east -> eu-west -> apac -> us-east in production.
    plan.regions.forEach((region, i) => {
      const next = plan.regions[(i + 1) % plan.regions.length];
      const rule = pairs[`aws.${region.key}`];
      expect(rule.id).toBe(`to-${next.code}`);
      expect(rule.destination).toEqual(
        expect.objectContaining({
          bucket: expect.stringMatching(
            new RegExp(`region-${next.key}\\.outputs\\..*observability_log-archive_bucket`),
          ),
          encryption_configuration: {
            replica_kms_key_id: expect.stringMatching(
              new RegExp(`region-${next.key}\\.outputs\\..*aws_kms_keyaudit-kms_key`),
            ),
          },
        }),
      );
    });
  });

  test.each(KEYS)('%s: Firehose streams CloudWatch Logs into cloudwatch/<region>/ with the regional key', (key) => {
    const stack = region(key);
    const [stream] = resources(stack, 'aws_kinesis_firehose_delivery_stream');
    expect(stream.server_side_encryption).toEqual(
      expect.objectContaining({ enabled: true, key_type: 'CUSTOMER_MANAGED_CMK' }),
    );
    const s3 = stream.extended_s3_configuration as Body;
    expect(s3.prefix).toBe(`cloudwatch/${key}/!{timestamp:yyyy/MM/dd}/`);
    expect(String(s3.error_output_prefix)).toMatch(new RegExp(`^firehose-errors/${key}/`));
  });

  test.each(KEYS)(
    '%s: every log group of the regional and data stacks is subscribed, except the Firehose error log',
    (key) => {
      for (const stack of [region(key), synth.stack(`data-${key}`)]) {
        const groups = allResources(stack).filter((r) => r.type === 'aws_cloudwatch_log_group');
        const filters = resources(stack, 'aws_cloudwatch_log_subscription_filter');
        const subscribed = new Set(
          filters.map((f) => String(f.log_group_name).match(/aws_cloudwatch_log_group\.([\w-]+)\.name/)![1]),
        );
        const expected = groups.filter((g) => !g.name.startsWith('observability_log-export_errors')).map((g) => g.name);
        expect(expected.length).toBeGreaterThan(0);
        expect([...subscribed].sort()).toEqual(expected.sort());
        for (const f of filters) {
          expect(f).toEqual(
            expect.objectContaining({ filter_pattern: '', destination_arn: expect.stringContaining('firehose') }),
          );
        }
      }
    },
  );

  test('roles are least privilege: Logs may only put into the stream, Firehose only writes its prefixes', () => {
    const docs = region('eu-west').data!.aws_iam_policy_document;
    const statements = Object.values(docs).flatMap((d) => (d.statement as Body[]) ?? []);
    const stream = statements.find((s) => s.sid === 'Stream')!;
    expect(stream.actions).toEqual(['firehose:PutRecord', 'firehose:PutRecordBatch']);
    expect(stream.resources).toEqual([
      expect.stringMatching(/:deliverystream\/mi-production-eu-west-logs-to-archive$/),
    ]);
    const objects = statements.find((s) => s.sid === 'Objects')!;
    expect(objects.resources).toEqual([
      expect.stringMatching(/\/cloudwatch\/eu-west\/\*$/),
      expect.stringMatching(/\/firehose-errors\/eu-west\/\*$/),
    ]);
  });

  test('every log group of every AWS stack is encrypted and retained', () => {
    for (const id of synth.stackIds.filter((s) => !s.startsWith('workloads-'))) {
      for (const group of resources(synth.stack(id), 'aws_cloudwatch_log_group')) {
        expect(group).toEqual(
          expect.objectContaining({ kms_key_id: expect.any(String), retention_in_days: expect.any(Number) }),
        );
      }
    }
  });
});

describe('archiveLifecycleRule', () => {
  const tiers = {
    hotDays: 7,
    warmDays: 30,
    warmStorageClass: 'GLACIER_IR',
    coldStorageClass: 'DEEP_ARCHIVE',
    expirationDays: 400,
    noncurrentVersionExpirationDays: 30,
  };
  test('transitions in age order and expires', () => {
    const rule = archiveLifecycleRule(tiers);
    expect(rule.transition).toEqual([
      { days: 7, storageClass: 'GLACIER_IR' },
      { days: 30, storageClass: 'DEEP_ARCHIVE' },
    ]);
    expect(rule.noncurrentVersionExpiration).toEqual([{ noncurrentDays: 30 }]);
  });
  test.each([{ hotDays: 30, warmDays: 30 }, { warmDays: 500 }])('refuses out-of-order tiers %j', (over) => {
    expect(() => archiveLifecycleRule({ ...tiers, ...over })).toThrow(/hot < warm < expiry/);
  });
});
