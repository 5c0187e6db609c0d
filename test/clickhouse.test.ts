import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  backupTriggerScript,
  BACKUP_TRIGGER_IMAGE,
  CLICKHOUSE_BACKUP_IMAGE,
  shardBackupHosts,
} from '../modules/clickhouse/backup-schedule';
import { clickhouseBackupPrefix } from '../modules/clickhouse/backup-storage';
import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { decodeJsonencode } from './support/jsonencode';
import { defaultSynth } from './support/shared-synth';
import { resources } from './support/stack-json';

const KEYS = resolvePlan(production).regions.map((r) => r.key);
const CODES = Object.fromEntries(production.regions.map((r) => [r.key, r.code]));

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
    const values = decodeJsonencode((installation.values as string[])[0]) as Record<string, unknown>;
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

  test('every region writes its own prefix, so a replica never lands on the destination region own keys', () => {
    const prefixes = KEYS.map((k) => clickhouseBackupPrefix(CODES[k]));
    expect(prefixes).toEqual(KEYS.map((k) => `backups/${CODES[k]}/`));
    expect(new Set(prefixes).size).toBe(KEYS.length);
    // No prefix contains another: a list or delete under one never reaches the other.
    for (const a of prefixes) for (const b of prefixes) if (a !== b) expect(b.startsWith(a)).toBe(false);
    expect(() => clickhouseBackupPrefix('backups')).toThrow(/AWS region code/);
  });

  test.each(KEYS)('%s pods may write, read and list their own prefix only', (key) => {
    const stack = synth.stack(`data-${key}`);
    const docs = Object.values(stack.data?.aws_iam_policy_document ?? {}) as {
      statement: {
        sid: string;
        resources: string[];
        condition?: { test: string; variable: string; values: string[] }[];
      }[];
    }[];
    const statements = docs.find((d) => d.statement.some((s) => s.sid === 'ReadWriteBackups'))!.statement;
    const prefix = clickhouseBackupPrefix(CODES[key]);
    const objects = statements.find((s) => s.sid === 'ReadWriteBackups')!;
    expect(objects.resources).toHaveLength(1);
    expect(objects.resources[0]).toMatch(/arn\}\/[^}]*$/);
    expect(objects.resources[0].endsWith(`}/${prefix}*`)).toBe(true);
    const list = statements.find((s) => s.sid === 'ListBackups')!;
    expect(list.condition).toEqual([{ test: 'StringLike', variable: 's3:prefix', values: [`${prefix}*`] }]);
  });

  test.each(KEYS)('%s schedules backups: a CronJob asks each shard sidecar for a remote backup', (key) => {
    const stack = synth.stack(`workloads-${key}`);
    const jobs = resources(stack, 'kubernetes_cron_job_v1');
    expect(jobs).toHaveLength(1);
    const job = jobs[0] as {
      metadata: { name: string; namespace: string };
      spec: {
        schedule: string;
        concurrency_policy: string;
        job_template: { spec: { template: { spec: Record<string, unknown> } } };
      };
      depends_on: string[];
    };
    expect(job.metadata).toMatchObject({ name: 'clickhouse-backup', namespace: 'clickhouse' });
    expect(job.spec).toMatchObject({ schedule: '17 3 * * *', concurrency_policy: 'Forbid' });
    expect(job.depends_on).toEqual(expect.arrayContaining([expect.stringContaining('helm_release.')]));
    const pod = job.spec.job_template.spec.template.spec as {
      automount_service_account_token: boolean;
      container: { image: string; command: string[] }[];
    };
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.container[0].image).toBe(BACKUP_TRIGGER_IMAGE);
    const shards = production.defaults.clickhouse.shards;
    const script = pod.container[0].command[2];
    expect(shards).toBeGreaterThan(1);
    for (const host of shardBackupHosts('analytics', shards)) expect(script).toContain(host);

    // The installation runs the sidecar the CronJob calls, writing to the region's own prefix.
    const installation = resources(stack, 'helm_release').find((r) => r.name === 'clickhouse')!;
    const values = decodeJsonencode((installation.values as string[])[0]) as {
      backup: { prefix: string; sidecar: { image: string; env: { name: string; value: string }[] } };
    };
    const prefix = clickhouseBackupPrefix(CODES[key]);
    expect(values.backup.prefix).toBe(prefix);
    expect(values.backup.sidecar.image).toBe(CLICKHOUSE_BACKUP_IMAGE);
    const env = Object.fromEntries(values.backup.sidecar.env.map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ REMOTE_STORAGE: 's3', S3_REGION: CODES[key], API_LISTEN: '0.0.0.0:7171' });
    expect(env.S3_PATH.startsWith(prefix)).toBe(true);
  });

  test('shard hosts follow the operator service names; the trigger fails on an error status', () => {
    expect(shardBackupHosts('analytics', 2)).toEqual([
      'chi-analytics-analytics-0-0.clickhouse.svc',
      'chi-analytics-analytics-1-0.clickhouse.svc',
    ]);
    expect(() => shardBackupHosts('analytics', 0)).toThrow(/positive shard count/);
    const script = backupTriggerScript(['h0', 'h1']);
    expect(script).toMatch(/^set -eu/);
    expect(script).toContain('for host in h0 h1; do');
    expect(script).toContain('curl -sSf -X POST "$api/backup/create_remote?name=shard$shard-$stamp"');
    expect(script).toMatch(/"status":"error".*exit 1/);
  });
});

describe('the clickhouse-installation chart uses the prefix and the sidecar it is given', () => {
  // helm is not installed here: the template's text and the values the stacks pass are checked.
  const template = readFileSync(
    join(__dirname, '..', 'charts', 'clickhouse-installation', 'templates', 'installation.yaml'),
    'utf8',
  );
  const synth = defaultSynth('production');

  test("native BACKUP writes under the region's own prefix, never the bucket's shared backups/ root", () => {
    expect(template).toMatch(/amazonaws\.com\/\{\{ required "backup\.prefix" \.Values\.backup\.prefix \}\}native\/</);
    expect(template).not.toMatch(/amazonaws\.com\/backups\//);
  });

  test('the sidecar joins the server pod, with the data volume', () => {
    expect(template).toMatch(
      /\{\{- with \.Values\.backup\.sidecar \}\}\n\s+#[^\n]*\n\s+- \{\{- toYaml \. \| nindent 14 \}\}/,
    );
    for (const key of KEYS) {
      // The local chart's release (the operator's release has no values).
      const [release] = resources(synth.stack(`workloads-${key}`), 'helm_release').filter(
        (r) => String(r.chart).includes('clickhouse') && r.values !== undefined,
      );
      const values = decodeJsonencode((release.values as string[])[0]) as {
        backup: { prefix: string; sidecar: { name: string; volumeMounts: { name: string; mountPath: string }[] } };
      };
      expect(values.backup.prefix).toBe(clickhouseBackupPrefix(CODES[key]));
      expect(values.backup.sidecar.name).toBe('clickhouse-backup');
      expect(values.backup.sidecar.volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/clickhouse' }]);
    }
  });
});
