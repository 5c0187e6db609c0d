import { dailyScheduleBefore } from '../modules/backup/aurora-backup-plan';
import { resolvePlan } from '../src/plan/resolve';
import { SEED_REGION_KEYS, threeRegions, variant } from './support/config';
import { resources, type StackJson } from './support/stack-json';
import { synthOnce, synthPlatform, type SynthOutput } from './support/synth';

const one = (stack: StackJson, type: string) => {
  const list = resources(stack, type);
  expect(list).toHaveLength(1);
  return list[0];
};

describe('dailyScheduleBefore', () => {
  test.each([
    ['05:30-06:30', 'cron(30 3 * * ? *)'],
    ['00:30-01:30', 'cron(30 22 * * ? *)'],
    ['01:00-02:00', 'cron(0 23 * * ? *)'],
  ])('%s -> %s', (window, cron) => expect(dailyScheduleBefore(window)).toBe(cron));

  test('refuses a window it cannot read', () => {
    expect(() => dailyScheduleBefore('sun:05:30')).toThrow(/expected a backup window "hh24:mi-hh24:mi"/);
  });
});

describe('AWS Backup per region (default configuration, three regions)', () => {
  let synth: SynthOutput;
  const plan = resolvePlan(threeRegions);
  beforeAll(() => {
    synth = synthOnce(threeRegions);
  });

  test.each(SEED_REGION_KEYS)('%s: a KMS-encrypted vault with a governance-mode lock, kept from destroy', (key) => {
    const stack = synth.stack(`data-${key}`);
    const vault = one(stack, 'aws_backup_vault');
    expect(vault).toMatchObject({
      name: `mi-production-${key}-backup`,
      kms_key_arn: expect.stringMatching(new RegExp(`input-region-${key}\\..*kms`)),
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
    });
    const lock = one(stack, 'aws_backup_vault_lock_configuration');
    expect(lock).toMatchObject({
      backup_vault_name: expect.stringMatching(/aws_backup_vault\..*\.name/),
      min_retention_days: threeRegions.data.backup.vaultLock.minRetentionDays,
      max_retention_days: threeRegions.data.backup.vaultLock.maxRetentionDays,
    });
    // No grace period: the lock stays in governance mode.
    expect(lock).not.toHaveProperty('changeable_for_days');
  });

  test.each(SEED_REGION_KEYS)(
    '%s: a daily plan selects the Aurora cluster by ARN and copies to the next region',
    (key) => {
      const stack = synth.stack(`data-${key}`);
      const region = plan.regions.find((r) => r.key === key)!;
      const target = plan.regions.find((r) => r.key === region.replicatesTo)!;
      expect(target.key).not.toBe(key);
      const backupPlan = one(stack, 'aws_backup_plan');
      const [rule] = backupPlan.rule as Record<string, unknown>[];
      expect(rule).toMatchObject({
        schedule: dailyScheduleBefore(region.maintenance.backupWindow),
        target_vault_name: expect.stringMatching(/aws_backup_vault\..*\.name/),
        lifecycle: { delete_after: threeRegions.data.backup.retentionDays },
        copy_action: [
          {
            destination_vault_arn: expect.stringMatching(
              new RegExp(
                `^arn:\\$\\{.*\\}:backup:${target.code}:\\$\\{.*\\}:backup-vault:mi-production-${target.key}-backup$`,
              ),
            ),
            lifecycle: { delete_after: threeRegions.data.backup.copyRetentionDays },
          },
        ],
      });
      const selection = one(stack, 'aws_backup_selection');
      expect(selection.resources).toEqual([expect.stringMatching(/aws_rds_cluster\.aurora_cluster.*\.arn/)]);
      expect(selection.iam_role_arn).toMatch(/aws_iam_role\.backup_role/);
    },
  );

  test('the role AWS Backup assumes: its managed backup and restore policies and the region keys', () => {
    const stack = synth.stack('data-eu-west');
    const attached = resources(stack, 'aws_iam_role_policy_attachment')
      .map((a) => String(a.policy_arn))
      .filter((arn) => arn.includes('AWSBackup'));
    expect(attached.sort()).toEqual([
      expect.stringMatching(/:iam::aws:policy\/service-role\/AWSBackupServiceRolePolicyForBackup$/),
      expect.stringMatching(/:iam::aws:policy\/service-role\/AWSBackupServiceRolePolicyForRestores$/),
    ]);
    const documents = (stack.data?.aws_iam_policy_document ?? {}) as Record<string, Record<string, unknown>>;
    const trust = Object.entries(documents).find(([id]) => id.startsWith('backup_trust'))?.[1];
    expect(trust?.statement).toEqual([
      expect.objectContaining({
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['backup.amazonaws.com'] }],
      }),
    ]);
    const keys = Object.entries(documents).find(([id]) => id.startsWith('backup_keys-policy'))?.[1];
    const copyKeys = (keys?.statement as Record<string, unknown>[]).find((s) => s.sid === 'CopyRegionKeys');
    // eu-west copies to apac (the next region in configuration order).
    expect(copyKeys?.resources).toEqual([expect.stringMatching(/:kms:ap-southeast-1:.*:key\/\*$/)]);
  });

  test('a weekly restore test of the latest Aurora recovery point, into the cluster subnet group', () => {
    const stack = synth.stack('data-us-east');
    const testing = one(stack, 'aws_backup_restore_testing_plan');
    expect(testing).toMatchObject({
      name: 'mi_production_us_east_aurora_restore_test',
      schedule_expression: 'cron(0 6 ? * SUN *)',
      recovery_point_selection: [
        expect.objectContaining({
          algorithm: 'LATEST_WITHIN_WINDOW',
          include_vaults: [expect.stringMatching(/aws_backup_vault\..*\.arn/)],
          recovery_point_types: ['SNAPSHOT'],
        }),
      ],
    });
    expect(one(stack, 'aws_backup_restore_testing_selection')).toMatchObject({
      protected_resource_type: 'Aurora',
      protected_resource_arns: [expect.stringMatching(/aws_rds_cluster\.aurora_cluster.*\.arn/)],
      restore_metadata_overrides: { dbSubnetGroupName: expect.stringMatching(/aws_db_subnet_group\..*\.name/) },
    });
  });
});

describe('AWS Backup configured', () => {
  let synth: SynthOutput;
  const config = variant((c) => {
    c.data.backup.vaultLock = { mode: 'compliance', minRetentionDays: 7, maxRetentionDays: 365, changeableForDays: 3 };
    c.data.backup.copyTo = { 'us-east': 'apac' };
    c.data.backup.restoreTesting = false;
  }, threeRegions);
  beforeAll(() => {
    synth = synthPlatform(config);
  });

  test('a compliance lock carries its grace period; copyTo overrides the target; restore testing is off', () => {
    const stack = synth.stack('data-us-east');
    expect(one(stack, 'aws_backup_vault_lock_configuration').changeable_for_days).toBe(3);
    const [rule] = one(stack, 'aws_backup_plan').rule as { copy_action: { destination_vault_arn: string }[] }[];
    expect(rule.copy_action[0].destination_vault_arn).toMatch(
      /:backup:ap-southeast-1:.*:backup-vault:mi-production-apac-backup$/,
    );
    expect(resources(stack, 'aws_backup_restore_testing_plan')).toHaveLength(0);
  });

  test('disabled: no AWS Backup resource anywhere', () => {
    const off = synthPlatform(variant((c) => (c.data.backup.enabled = false), threeRegions));
    const types = off.stackIds.flatMap((id) => Object.keys(off.stack(id).resource ?? {}));
    expect(types.length).toBeGreaterThan(0);
    expect(types.filter((t) => t.startsWith('aws_backup_'))).toEqual([]);
  });
});
