import { production } from '../src/config/environments/production';
import { staging } from '../src/config/environments/staging';
import { planSubnets } from '../modules/network/subnets';
import type { PlatformConfig } from '../src/config/types';
import { AURORA_PASSWORD_VARIABLE } from '../src/stacks/data-stack';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';

const ROLE = { 'us-east': 'primary', 'eu-west': 'secondary', apac: 'secondary' } as const;
/** Seed 003: Sunday 02:00-06:00 local, converted to UTC (EST -5, GMT 0, SGT +8 wraps to Saturday). */
const WINDOWS = {
  'us-east': ['sun:07:00-sun:11:00', '05:30-06:30'],
  'eu-west': ['sun:02:00-sun:06:00', '00:30-01:30'],
  apac: ['sat:18:00-sat:22:00', '16:30-17:30'],
} as const;

/** The private (application) subnets of every region but `key`, sorted. */
const appCidrsOfOthers = (config: PlatformConfig, key: string) =>
  config.regions
    .filter((r) => r.key !== key)
    .flatMap((r) => planSubnets(r.vpcCidr, r.azCount).private)
    .sort();

/** Variables of a stack (StackJson does not declare the block). */
const variables = (stack: StackJson) =>
  (stack as StackJson & { variable?: Record<string, Record<string, unknown>> }).variable ?? {};

const one = (stack: StackJson, type: string) => {
  const list = resources(stack, type);
  expect(list).toHaveLength(1);
  return list[0];
};

describe.each([
  ['production', production, 3, 2],
  ['staging', staging, 3, 1],
] as const)('Aurora global database (%s)', (name, config, primaryInstances, secondaryInstances) => {
  const synth = defaultSynth(name);

  test('the global cluster is aurora-postgresql at the configured version, encrypted and protected', () => {
    const global = one(synth.stack('global'), 'aws_rds_global_cluster');
    expect(global).toMatchObject({
      engine: 'aurora-postgresql',
      engine_version: config.data.aurora.engineVersion,
      storage_encrypted: true,
      deletion_protection: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(synth.stack('global').output?.aurora_global_writer_endpoint.value).toMatch(
      /aws_rds_global_cluster\..*\.endpoint/,
    );
  });

  describe.each(Object.keys(ROLE) as (keyof typeof ROLE)[])('region %s', (key) => {
    const role = ROLE[key];
    let stack: StackJson;
    let cluster: Record<string, unknown>;
    beforeAll(() => {
      stack = synth.stack(`data-${key}`);
      cluster = one(stack, 'aws_rds_cluster');
    });

    test('joins the global cluster with the regional key, IAM auth, backups and log exports', () => {
      expect(cluster).toMatchObject({
        engine: 'aurora-postgresql',
        engine_version: config.data.aurora.engineVersion,
        global_cluster_identifier: expect.stringMatching(/cross-stack-reference-input-global.*aws_rds_global_cluster/),
        storage_encrypted: true,
        kms_key_id: expect.stringMatching(new RegExp(`input-region-${key}\\..*aws_kms_key.*arn`)),
        iam_database_authentication_enabled: true,
        backup_retention_period: config.defaults.aurora.backupRetentionDays,
        copy_tags_to_snapshot: true,
        enabled_cloudwatch_logs_exports: ['postgresql'],
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: `mi-${config.environment}-${key}-aurora-final`,
        preferred_maintenance_window: WINDOWS[key][0],
        preferred_backup_window: WINDOWS[key][1],
      });
      expect(cluster.lifecycle).toMatchObject({
        prevent_destroy: true,
        ignore_changes: expect.arrayContaining([
          'replication_source_identifier',
          'global_cluster_identifier',
          'engine_version',
        ]),
      });
    });

    test(`as ${role}: credentials, write forwarding and instance count`, () => {
      const instances = resources(stack, 'aws_rds_cluster_instance');
      if (role === 'primary') {
        expect(cluster).toMatchObject({
          master_username: config.data.aurora.masterUsername,
          master_password_wo: `\${var.${AURORA_PASSWORD_VARIABLE}}`,
          master_password_wo_version: config.data.aurora.masterPasswordVersion,
        });
        expect(cluster).not.toHaveProperty('master_password');
        expect(cluster).not.toHaveProperty('enable_global_write_forwarding');
        expect(variables(stack)[AURORA_PASSWORD_VARIABLE]).toMatchObject({ sensitive: true, ephemeral: true });
        expect(instances).toHaveLength(primaryInstances);
      } else {
        expect(cluster.enable_global_write_forwarding).toBe(true);
        for (const field of ['master_username', 'master_password', 'master_password_wo', 'database_name']) {
          expect(cluster).not.toHaveProperty(field);
        }
        expect(variables(stack)[AURORA_PASSWORD_VARIABLE]).toBeUndefined();
        expect(instances).toHaveLength(secondaryInstances);
      }
    });

    test('every instance is private, with Performance Insights (KMS) and enhanced monitoring', () => {
      for (const instance of resources(stack, 'aws_rds_cluster_instance')) {
        expect(instance).toMatchObject({
          publicly_accessible: false,
          performance_insights_enabled: true,
          performance_insights_kms_key_id: expect.stringMatching(/aws_kms_key/),
          performance_insights_retention_period: config.defaults.aurora.performanceInsightsRetentionDays,
          monitoring_interval: config.defaults.aurora.monitoringIntervalSeconds,
          monitoring_role_arn: expect.stringMatching(/aws_iam_role\.aurora_monitoring-role/),
          instance_class: config.defaults.aurora.instanceClass,
          lifecycle: { prevent_destroy: true, ignore_changes: ['engine_version'] },
        });
      }
    });

    test('TLS is forced, statements and slow queries are logged to a KMS-encrypted, retained log group, subnets are the data tier', () => {
      const params = one(stack, 'aws_rds_cluster_parameter_group');
      expect(params.family).toBe(`aurora-postgresql${config.data.aurora.engineVersion.split('.')[0]}`);
      const logging = config.data.aurora.logging;
      expect(params.name).toBe(
        `mi-${config.environment}-${key}-aurora-pg${config.data.aurora.engineVersion.split('.')[0]}`,
      );
      expect(params.parameter).toEqual([
        expect.objectContaining({ name: 'rds.force_ssl', value: '1' }),
        {
          name: 'log_min_duration_statement',
          value: String(logging.minDurationStatementMs),
          apply_method: 'immediate',
        },
        { name: 'log_statement', value: logging.logStatement, apply_method: 'immediate' },
      ]);
      expect(logging).toMatchObject({ minDurationStatementMs: 1000, logStatement: 'ddl' });
      expect(cluster.enabled_cloudwatch_logs_exports).toEqual(['postgresql']);
      expect(cluster.depends_on).toEqual(
        expect.arrayContaining([expect.stringMatching(/aws_cloudwatch_log_group\.aurora_postgresql-logs/)]),
      );
      const logs = resources(stack, 'aws_cloudwatch_log_group').find((g) => String(g.name).startsWith('/aws/rds/'));
      expect(logs).toMatchObject({
        name: `/aws/rds/cluster/mi-${config.environment}-${key}-aurora/postgresql`,
        kms_key_id: expect.stringMatching(/aws_kms_key/),
        retention_in_days: config.defaults.aurora.logRetentionDays,
      });
      expect(one(stack, 'aws_db_subnet_group').subnet_ids).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`input-region-${key}\\..*network_data-0`))]),
      );
    });

    test("the security group admits 5432 from the region's EKS security groups and every other region's app subnets", () => {
      const rules = resources(stack, 'aws_vpc_security_group_ingress_rule').filter((r) =>
        String(r.security_group_id).includes('aurora_sg'),
      );
      for (const rule of rules) expect(rule).toMatchObject({ from_port: 5432, to_port: 5432, ip_protocol: 'tcp' });
      const local = rules.filter((r) => r.referenced_security_group_id !== undefined);
      expect(local).toHaveLength(2);
      for (const rule of local) {
        expect(rule.referenced_security_group_id).toMatch(new RegExp(`input-region-${key}\\.`));
        expect(rule).not.toHaveProperty('cidr_ipv4');
      }
      // Security-group references do not cross regions: whichever member is the writer after a
      // switchover, every other region's pods reach it by their subnets (issue 13).
      const remote = rules.filter((r) => r.referenced_security_group_id === undefined).map((r) => r.cidr_ipv4);
      expect(remote.sort()).toEqual(appCidrsOfOthers(config, key));
      const sg = resources(stack, 'aws_security_group').find((g) => String(g.name).endsWith('-aurora'));
      expect(sg).not.toHaveProperty('ingress');
      // Named after the cluster alone; a deployed group keeps its old name rather than being replaced.
      expect(sg).toMatchObject({
        name: `mi-${config.environment}-${key}-aurora`,
        lifecycle: { ignore_changes: ['name'] },
      });
      expect(one(stack, 'aws_db_subnet_group')).toMatchObject({
        name: `mi-${config.environment}-${key}-aurora`,
        lifecycle: { ignore_changes: ['name'] },
      });
    });

    test('outputs the regional reader endpoint', () => {
      expect(stack.output?.aurora_reader_endpoint.value).toMatch(/aws_rds_cluster\..*\.reader_endpoint/);
    });
  });

  test('no password value appears anywhere in the synthesized JSON', () => {
    for (const id of synth.stackIds) {
      const text = JSON.stringify(synth.stack(id));
      expect(text).not.toMatch(/"master_password"\s*:/);
      expect(text).not.toMatch(/"auth_token"\s*:/);
    }
  });
});
