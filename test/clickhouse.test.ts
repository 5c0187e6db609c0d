import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { defaultSynth } from './support/shared-synth';
import { resources } from './support/stack-json';

const KEYS = resolvePlan(production).regions.map((r) => r.key);

describe('ClickHouse backups and installation', () => {
  const synth = defaultSynth('production');

  test.each(KEYS)('%s has a versioned, KMS-encrypted backup bucket that expires old backups', (key) => {
    const stack = synth.stack(`region-${key}`);
    const bucket = resources(stack, 'aws_s3_bucket').find((b) => String(b.bucket).includes('clickhouse-backups'));
    expect(bucket).toMatchObject({ lifecycle: { prevent_destroy: true } });
    const path = (r: Record<string, unknown>) => String(r.bucket);
    const versioning = resources(stack, 'aws_s3_bucket_versioning').find((v) => path(v).includes('clickhouse'));
    expect(versioning).toMatchObject({ versioning_configuration: { status: 'Enabled' } });
    const sse = resources(stack, 'aws_s3_bucket_server_side_encryption_configuration').find((v) =>
      path(v).includes('clickhouse'),
    );
    expect(JSON.stringify(sse)).toContain('"sse_algorithm":"aws:kms"');
    expect(JSON.stringify(sse)).toMatch(/"kms_master_key_id":"\$\{aws_kms_key\./);
    const lifecycle = resources(stack, 'aws_s3_bucket_lifecycle_configuration').find((v) =>
      path(v).includes('clickhouse'),
    );
    expect(JSON.stringify(lifecycle)).toContain(
      `"noncurrent_days":${production.defaults.clickhouse.backupRetentionDays}`,
    );
  });

  test('each bucket replicates to the next region in config order, wrapping around', () => {
    const global = synth.stack('global');
    const configs = resources(global, 'aws_s3_bucket_replication_configuration').filter((r) =>
      String(r.bucket).includes('clickhouse'),
    );
    expect(configs).toHaveLength(KEYS.length);
    KEYS.forEach((key, i) => {
      const next = KEYS[(i + 1) % KEYS.length];
      const config = configs.find((c) => c.provider === `aws.${key}`)!;
      expect(String(config.bucket)).toMatch(new RegExp(`input-region-${key}\\.`));
      const rule = (config.rule as Record<string, unknown>[])[0];
      expect(JSON.stringify(rule.destination)).toMatch(new RegExp(`input-region-${next}\\..*bucket.*arn`));
      expect(JSON.stringify(rule.destination)).toMatch(new RegExp(`replica_kms_key_id.*input-region-${next}\\.`));
    });
  });

  test.each(KEYS)('%s pods get an IRSA role limited to their bucket', (key) => {
    const stack = synth.stack(`data-${key}`);
    const docs = Object.values(stack.data?.aws_iam_policy_document ?? {});
    const trust = docs.find((d) => JSON.stringify(d).includes('system:serviceaccount:clickhouse:clickhouse'));
    expect(JSON.stringify(trust)).toContain('sts:AssumeRoleWithWebIdentity');
    const permissions = docs.find((d) => JSON.stringify(d).includes('ReadWriteBackups'));
    const text = JSON.stringify(permissions);
    expect(text).not.toContain('"*"');
    expect(text).toMatch(/clickhouse-backups|aws_s3_bucket/);
  });

  test.each(KEYS)('%s workloads install the pinned operator and an installation sized from config', (key) => {
    const stack = synth.stack(`workloads-${key}`);
    const releases = resources(stack, 'helm_release');
    const operator = releases.find((r) => r.chart === 'altinity-clickhouse-operator');
    expect(operator).toMatchObject({
      repository: 'https://helm.altinity.com',
      version: production.data.clickhouse.operatorChartVersion,
      namespace: 'clickhouse',
    });
    const installation = releases.find((r) => r.name === 'clickhouse')!;
    expect(String(installation.chart)).toMatch(/^assets\//);
    expect(installation.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/helm_release\./)]));
    const values = JSON.parse((installation.values as string[])[0]) as Record<string, unknown>;
    const ch = production.defaults.clickhouse;
    expect(values).toMatchObject({
      image: production.data.clickhouse.image,
      shards: ch.shards,
      replicas: ch.replicas,
      cpu: ch.cpu,
      memory: ch.memory,
      storageGiB: ch.storageGiB,
      serviceAccount: { name: 'clickhouse', roleArn: expect.stringMatching(/input-data-/) },
    });
  });
});
