import { checkResources } from '../../src/policy/engine';
import { RULES } from '../../src/policy/rules';
import type { ResourceView } from '../../src/policy/types';
import { resourceView } from '../support/policy-views';

/**
 * Compliant and non-compliant cases of the hardening rules of issue 15 (docs/security.md): Route 53
 * DNSSEC and query logging, AWS Backup vaults and plans, Aurora PostgreSQL statement logging. The
 * fixtures have the shape the platform synthesizes (test/policy/pack.test.ts checks the real synth).
 */
const res = resourceView;
const ref = (address: string, attr = 'id') => `\${${address}.${attr}}`;

/** The problems `ruleId` finds in `resources` (other rules ignored). */
const problems = (ruleId: string, resources: ResourceView[]) => {
  const rule = RULES.filter((r) => r.id === ruleId);
  expect(rule).toHaveLength(1);
  return checkResources(resources, rule).map((f) => `${f.address}: ${f.problem}`);
};

const USE1 = 'us-east-1';
const EUW1 = 'eu-west-1';

describe('MRP-R53-1/2: public zones are DNSSEC-signed and query-logged', () => {
  // As modules/traffic/zone-security.ts builds them: everything DNSSEC through a us-east-1 provider,
  // the DNSSEC resource reading the zone id from the key-signing key.
  const zone = res('aws_route53_zone', { name: 'example.com' }, 'zone');
  const zoneId = ref('aws_route53_zone.zone', 'zone_id');
  const key = (attributes: Record<string, unknown> = {}, region = USE1) =>
    res(
      'aws_kms_key',
      { customer_master_key_spec: 'ECC_NIST_P256', key_usage: 'SIGN_VERIFY', provider: 'aws.control', ...attributes },
      'dnssec-key',
      region,
    );
  const ksk = (attributes: Record<string, unknown> = {}) =>
    res(
      'aws_route53_key_signing_key',
      {
        hosted_zone_id: zoneId,
        key_management_service_arn: ref('aws_kms_key.dnssec-key', 'arn'),
        status: 'ACTIVE',
        ...attributes,
      },
      'ksk',
      USE1,
    );
  const dnssec = (attributes: Record<string, unknown> = {}) =>
    res(
      'aws_route53_hosted_zone_dnssec',
      {
        hosted_zone_id: ref('aws_route53_key_signing_key.ksk', 'hosted_zone_id'),
        signing_status: 'SIGNING',
        ...attributes,
      },
      'dnssec',
      USE1,
    );
  const signed = [zone, key(), ksk(), dnssec()];
  const privateZone = res('aws_route53_zone', { name: 'internal', vpc: [{ vpc_id: 'vpc-1' }] }, 'private');
  const adopted = res('data.aws_route53_zone', { zone_id: 'Z123' }, 'zone');
  const otherZone = res('aws_route53_zone', { name: 'other.example.com' }, 'other');

  test.each<[string, ResourceView[]]>([
    ['a zone signed the way the dns stack signs it', signed],
    [
      'the provider defaults (signing_status SIGNING, status ACTIVE) and a DNSSEC resource on the zone itself',
      [zone, key(), ksk({ status: undefined }), dnssec({ hosted_zone_id: zoneId, signing_status: undefined })],
    ],
    [
      'a key outside the stack named by a literal us-east-1 ARN',
      [zone, ksk({ key_management_service_arn: 'arn:aws:kms:us-east-1:111122223333:key/k' }), dnssec()],
    ],
    ['a private zone (vpc block) without DNSSEC', [privateZone]],
    ['an adopted zone (a data source): its owner signs it', [adopted]],
  ])('MRP-R53-1 accepts %s', (_what, resources) => {
    expect(problems('MRP-R53-1', resources)).toEqual([]);
  });

  test.each<[string, ResourceView[], RegExp]>([
    [
      'a key-signing key but no DNSSEC resource',
      [zone, key(), ksk()],
      /no aws_route53_hosted_zone_dnssec signs the zone/,
    ],
    [
      'signing_status NOT_SIGNING',
      [zone, key(), ksk(), dnssec({ signing_status: 'NOT_SIGNING' })],
      /signing_status is NOT_SIGNING/,
    ],
    [
      'a key-signing key that is INACTIVE',
      [zone, key(), ksk({ status: 'INACTIVE' }), dnssec()],
      /no ACTIVE aws_route53_key_signing_key/,
    ],
    ['a signing key outside us-east-1', [zone, key({}, EUW1), ksk(), dnssec()], /its KMS key is in eu-west-1/],
    [
      'a literal signing key ARN outside us-east-1',
      [zone, ksk({ key_management_service_arn: 'arn:aws:kms:eu-west-1:111122223333:key/k' }), dnssec()],
      /its KMS key is in eu-west-1/,
    ],
    [
      'a symmetric signing key',
      [zone, key({ customer_master_key_spec: undefined, key_usage: undefined }), ksk(), dnssec()],
      /SYMMETRIC_DEFAULT \/ ENCRYPT_DECRYPT, expected ECC_NIST_P256 \/ SIGN_VERIFY/,
    ],
  ])('MRP-R53-1 flags %s', (_what, resources, problem) => {
    const found = problems('MRP-R53-1', resources);
    expect(found).toEqual([expect.stringMatching(problem)]);
    expect(found[0]).toMatch(/^aws_route53_zone\.zone: /);
  });

  test('MRP-R53-1 flags a zone whose DNSSEC and key-signing key sign another zone, not the other zone', () => {
    const ksk2 = ksk({ hosted_zone_id: ref('aws_route53_zone.other', 'zone_id') });
    expect(problems('MRP-R53-1', [zone, otherZone, key(), ksk2, dnssec()])).toEqual([
      'aws_route53_zone.zone: no aws_route53_hosted_zone_dnssec signs the zone',
      'aws_route53_zone.zone: the zone has no ACTIVE aws_route53_key_signing_key',
    ]);
  });

  test('MRP-R53-1 reports a zone with neither DNSSEC nor a key-signing key once per missing piece', () => {
    expect(problems('MRP-R53-1', [zone])).toEqual([
      'aws_route53_zone.zone: no aws_route53_hosted_zone_dnssec signs the zone',
      'aws_route53_zone.zone: the zone has no ACTIVE aws_route53_key_signing_key',
    ]);
  });

  const logGroup = (region = USE1) =>
    res('aws_cloudwatch_log_group', { name: '/aws/route53/example.com' }, 'ql', region);
  const queryLog = (attributes: Record<string, unknown> = {}) =>
    res(
      'aws_route53_query_log',
      { zone_id: zoneId, cloudwatch_log_group_arn: ref('aws_cloudwatch_log_group.ql', 'arn'), ...attributes },
      'qlog',
      USE1,
    );

  test.each<[string, ResourceView[]]>([
    ['a zone logged to a us-east-1 log group of the stack', [zone, logGroup(), queryLog()]],
    [
      'a literal us-east-1 log group ARN',
      [zone, queryLog({ cloudwatch_log_group_arn: 'arn:aws:logs:us-east-1:111122223333:log-group:/aws/route53/x' })],
    ],
    ['a private zone without query logging', [privateZone]],
    ['an adopted zone (a data source)', [adopted]],
  ])('MRP-R53-2 accepts %s', (_what, resources) => {
    expect(problems('MRP-R53-2', resources)).toEqual([]);
  });

  test.each<[string, ResourceView[], RegExp]>([
    ['a zone without query logging', [zone], /no aws_route53_query_log logs the zone/],
    [
      'query logging of another zone',
      [zone, otherZone, logGroup(), queryLog({ zone_id: ref('aws_route53_zone.other', 'zone_id') })],
      /aws_route53_zone\.zone: no aws_route53_query_log/,
    ],
    ['a log group outside us-east-1', [zone, logGroup(EUW1), queryLog()], /log group in eu-west-1/],
    [
      'a literal log group ARN outside us-east-1',
      [zone, queryLog({ cloudwatch_log_group_arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/route53/x' })],
      /log group in eu-west-1/,
    ],
  ])('MRP-R53-2 flags %s', (_what, resources, problem) => {
    expect(problems('MRP-R53-2', resources)).toEqual([expect.stringMatching(problem)]);
  });
});

describe('MRP-BACKUP-1..4: AWS Backup vaults and plans', () => {
  // As modules/backup builds them: the copy names the other region's vault by a literal ARN that
  // still references the partition and account data sources.
  const KEY = '${data.terraform_remote_state.region.outputs.backup_key_arn}';
  const vault = (attributes: Record<string, unknown> = {}, name = 'v', region = USE1) =>
    res('aws_backup_vault', { name: `${name}-backup`, kms_key_arn: KEY, ...attributes }, name, region);
  const lock = (attributes: Record<string, unknown> = {}) =>
    res(
      'aws_backup_vault_lock_configuration',
      {
        backup_vault_name: ref('aws_backup_vault.v', 'name'),
        min_retention_days: 7,
        max_retention_days: 365,
        ...attributes,
      },
      'lock',
      USE1,
    );
  const partition = res('data.aws_partition', { provider: undefined }, 'partition', USE1);
  const caller = res('data.aws_caller_identity', {}, 'caller', USE1);
  const arn = (region: string, name: string) =>
    `arn:\${data.aws_partition.partition.partition}:backup:${region}:\${data.aws_caller_identity.caller.account_id}:backup-vault:${name}`;
  const copy = (attributes: Record<string, unknown> = {}) => ({
    destination_vault_arn: arn(EUW1, 'euw-backup'),
    lifecycle: { delete_after: 35 },
    ...attributes,
  });
  const rule = (attributes: Record<string, unknown> = {}) => ({
    rule_name: 'daily',
    target_vault_name: ref('aws_backup_vault.v', 'name'),
    schedule: 'cron(30 3 * * ? *)',
    lifecycle: { delete_after: 35 },
    copy_action: [copy()],
    ...attributes,
  });
  const plan = (rules: Record<string, unknown>[] = [rule()], region: string | undefined = USE1) =>
    res('aws_backup_plan', { name: 'daily', rule: rules }, 'plan', region);
  const stack = (...more: ResourceView[]) => [vault(), lock(), partition, caller, ...more];

  test.each<[string, string, ResourceView[]]>([
    ['MRP-BACKUP-1', 'a vault under a key of another stack', [vault()]],
    [
      'MRP-BACKUP-1',
      'a vault under a literal customer key',
      [vault({ kms_key_arn: 'arn:aws:kms:us-east-1:111122223333:key/k' })],
    ],
    ['MRP-BACKUP-2', 'a vault with its lock', [vault(), lock()]],
    ['MRP-BACKUP-2', 'a lock naming the vault by its literal name', [vault(), lock({ backup_vault_name: 'v-backup' })]],
    ['MRP-BACKUP-2', 'a minimum retention Terraform computes', [vault(), lock({ min_retention_days: '${var.days}' })]],
    ['MRP-BACKUP-3', 'a rule that expires its recovery points', [plan()]],
    ['MRP-BACKUP-3', 'a plan of two rules that both expire', [plan([rule(), rule({ rule_name: 'weekly' })])]],
    ['MRP-BACKUP-4', 'a copy to another region by a literal ARN (the platform)', stack(plan())],
    [
      'MRP-BACKUP-4',
      'a copy to a vault of the stack under another region provider',
      stack(
        vault({}, 'euw', EUW1),
        plan([rule({ copy_action: [copy({ destination_vault_arn: ref('aws_backup_vault.euw', 'arn') })] })]),
      ),
    ],
    [
      'MRP-BACKUP-4',
      'one good copy beside a same-region one',
      stack(plan([rule({ copy_action: [copy({ destination_vault_arn: arn(USE1, 'other-backup') }), copy()] })])),
    ],
    [
      'MRP-BACKUP-4',
      'a copy to a vault of the same name in another region',
      stack(plan([rule({ copy_action: [copy({ destination_vault_arn: arn(EUW1, 'v-backup') })] })])),
    ],
  ])('%s accepts %s', (id, _what, resources) => {
    expect(problems(id, resources)).toEqual([]);
  });

  test.each<[string, string, ResourceView[], RegExp]>([
    ['MRP-BACKUP-1', 'a vault without kms_key_arn', [vault({ kms_key_arn: undefined })], /not a customer-managed key/],
    [
      'MRP-BACKUP-1',
      'a vault under the AWS managed key',
      [vault({ kms_key_arn: 'arn:aws:kms:us-east-1:111122223333:alias/aws/backup' })],
      /not a customer-managed key/,
    ],
    ['MRP-BACKUP-2', 'a vault without a lock', [vault()], /no aws_backup_vault_lock_configuration locks the vault/],
    [
      'MRP-BACKUP-2',
      'a lock on another vault',
      [vault(), vault({}, 'other'), lock({ backup_vault_name: ref('aws_backup_vault.other', 'name') })],
      /aws_backup_vault\.v: no aws_backup_vault_lock_configuration/,
    ],
    [
      'MRP-BACKUP-2',
      'a lock without a minimum retention',
      [vault(), lock({ min_retention_days: undefined })],
      /min_retention_days unset/,
    ],
    [
      'MRP-BACKUP-2',
      'a lock with a minimum of 0 days',
      [vault(), lock({ min_retention_days: 0 })],
      /min_retention_days 0/,
    ],
    [
      'MRP-BACKUP-3',
      'a rule without a lifecycle',
      [plan([rule({ lifecycle: undefined })])],
      /rule daily has no lifecycle\.delete_after/,
    ],
    [
      'MRP-BACKUP-3',
      'a retention of 0 days',
      [plan([rule({ lifecycle: { delete_after: 0 } })])],
      /rule daily has no lifecycle/,
    ],
    [
      'MRP-BACKUP-3',
      'a second rule kept forever',
      [plan([rule(), rule({ rule_name: 'weekly', lifecycle: { cold_storage_after: 30 } })])],
      /rule weekly has no lifecycle/,
    ],
    ['MRP-BACKUP-3', 'a plan without rules', [plan([])], /the plan has no rule/],
    [
      'MRP-BACKUP-4',
      'a rule without a copy',
      stack(plan([rule({ copy_action: undefined })])),
      /rule daily has no copy_action/,
    ],
    [
      'MRP-BACKUP-4',
      'a copy within the plan region',
      stack(plan([rule({ copy_action: [copy({ destination_vault_arn: arn(USE1, 'other-backup') })] })])),
      /copies within us-east-1/,
    ],
    [
      'MRP-BACKUP-4',
      'a copy to a vault of the stack in the same region',
      stack(
        vault({}, 'second'),
        plan([rule({ copy_action: [copy({ destination_vault_arn: ref('aws_backup_vault.second', 'arn') })] })]),
      ),
      /copies within us-east-1/,
    ],
    [
      'MRP-BACKUP-4',
      'a copy into its own vault, by reference',
      stack(plan([rule({ copy_action: [copy({ destination_vault_arn: ref('aws_backup_vault.v', 'arn') })] })])),
      /copies into the rule's own vault/,
    ],
    [
      'MRP-BACKUP-4',
      'a copy into its own vault by name, the plan region unknown',
      stack(plan([rule({ copy_action: [copy({ destination_vault_arn: arn(USE1, 'v-backup') })] })], undefined)),
      /copies into the rule's own vault/,
    ],
    [
      'MRP-BACKUP-4',
      'a copy kept forever',
      stack(plan([rule({ copy_action: [copy({ lifecycle: undefined })] })])),
      /copy_action 1 has no lifecycle\.delete_after/,
    ],
    [
      'MRP-BACKUP-4',
      'a copy without a destination',
      stack(plan([rule({ copy_action: [copy({ destination_vault_arn: undefined })] })])),
      /copy_action 1 has no destination_vault_arn/,
    ],
  ])('%s flags %s', (id, _what, resources, problem) => {
    expect(problems(id, resources)).toEqual([expect.stringMatching(problem)]);
  });
});

describe('MRP-RDS-10: Aurora PostgreSQL statement logging', () => {
  /** Parameters of the group; null leaves one out. */
  const parameters = (duration: unknown, statement: unknown) => [
    { name: 'rds.force_ssl', value: '1', apply_method: 'pending-reboot' },
    ...(duration === null ? [] : [{ name: 'log_min_duration_statement', value: duration, apply_method: 'immediate' }]),
    ...(statement === null ? [] : [{ name: 'log_statement', value: statement, apply_method: 'immediate' }]),
  ];
  const group = (duration: unknown = '1000', statement: unknown = 'ddl', family = 'aurora-postgresql15') =>
    res('aws_rds_cluster_parameter_group', { family, parameter: parameters(duration, statement) }, 'pg');
  const cluster = (attributes: Record<string, unknown> = {}) =>
    res(
      'aws_rds_cluster',
      {
        engine: 'aurora-postgresql',
        db_cluster_parameter_group_name: ref('aws_rds_cluster_parameter_group.pg', 'name'),
        ...attributes,
      },
      'c',
    );

  test.each<[string, ResourceView[]]>([
    ['the platform default (1000 ms, ddl)', [group(), cluster()]],
    ['every statement timed (0) and logged (all)', [group('0', 'all'), cluster()]],
    ['data changes logged (mod), a numeric duration', [group(250, 'mod'), cluster()]],
    ['values Terraform computes', [group('${var.ms}', '${var.statements}'), cluster()]],
    [
      'an aurora-mysql cluster and group (not PostgreSQL)',
      [
        res('aws_rds_cluster_parameter_group', { family: 'aurora-mysql8.0', parameter: [] }, 'pg'),
        cluster({ engine: 'aurora-mysql' }),
      ],
    ],
  ])('accepts %s', (_what, resources) => {
    expect(problems('MRP-RDS-10', resources)).toEqual([]);
  });

  test.each<[string, ResourceView[], RegExp]>([
    [
      'log_min_duration_statement -1',
      [group('-1'), cluster()],
      /pg: log_min_duration_statement is -1: no slow-query log/,
    ],
    ['no log_min_duration_statement', [group(null), cluster()], /log_min_duration_statement is unset \(-1\)/],
    [
      'log_statement none',
      [group('1000', 'none'), cluster()],
      /pg: log_statement is none, expected one of ddl, mod, all/,
    ],
    ['no log_statement', [group('1000', null), cluster()], /log_statement is unset \(none\)/],
    [
      'a cluster on the default group',
      [cluster({ db_cluster_parameter_group_name: undefined })],
      /c: db_cluster_parameter_group_name is unset/,
    ],
    [
      'a cluster on a group outside the stack',
      [cluster({ db_cluster_parameter_group_name: 'default.aurora-postgresql15' })],
      /default\.aurora-postgresql15 is no aurora-postgresql parameter group of this stack/,
    ],
    [
      'a cluster on a group of another family',
      [group('1000', 'ddl', 'aurora-mysql8.0'), cluster()],
      /c: db_cluster_parameter_group_name \$\{aws_rds_cluster_parameter_group\.pg\.name\} is no aurora-postgresql/,
    ],
  ])('flags %s', (_what, resources, problem) => {
    expect(problems('MRP-RDS-10', resources)).toEqual([expect.stringMatching(problem)]);
  });

  test('an unused group that logs nothing is flagged too: the next cluster would pick it up', () => {
    expect(problems('MRP-RDS-10', [group(null, null)])).toHaveLength(2);
  });
});
