import {
  asNumber,
  blocks,
  isCustomerManagedKey,
  isExpression,
  isFalse,
  isSet,
  isTrue,
  preventsDestroy,
  strings,
} from '../attributes';
import type { ResourceView, StackFinding, StackView } from '../types';
import { problemUnless, resourceRule, stackRule } from './define';

const SERVICE = 'RDS';
const CLUSTERS = ['aws_rds_cluster', 'aws_db_instance'];
export const MIN_BACKUP_RETENTION_DAYS = 7;
/** `log_statement` values that log statements at all (`none` logs none). */
const LOGGED_STATEMENTS = ['ddl', 'mod', 'all'];

const isAuroraPostgresGroup = (r: ResourceView) =>
  r.type === 'aws_rds_cluster_parameter_group' && String(r.attributes.family).startsWith('aurora-postgresql');

/** What an Aurora PostgreSQL cluster parameter group fails to log (empty: slow queries and statements). */
function statementLoggingProblems(group: ResourceView): string[] {
  const value = (name: string) => blocks(group.attributes.parameter).find((p) => p.name === name)?.value;
  // Unset, PostgreSQL's defaults apply: -1 (no slow-query log) and none.
  const duration = value('log_min_duration_statement');
  const statement = value('log_statement');
  const durationMs = asNumber(duration);
  return [
    ...problemUnless(
      isExpression(duration) || (durationMs !== undefined && durationMs >= 0),
      `log_min_duration_statement is ${String(duration ?? 'unset (-1)')}: no slow-query log`,
    ),
    ...problemUnless(
      isExpression(statement) || LOGGED_STATEMENTS.includes(String(statement)),
      `log_statement is ${String(statement ?? 'unset (none)')}, expected one of ${LOGGED_STATEMENTS.join(', ')}`,
    ),
  ];
}

/** Findings of MRP-RDS-10: groups that log too little, and clusters on no group of this stack. */
function statementLogging(stack: StackView): StackFinding[] {
  const groups = stack.ofType('aws_rds_cluster_parameter_group').filter(isAuroraPostgresGroup);
  const clusters = stack.ofType('aws_rds_cluster').filter((c) => c.attributes.engine === 'aurora-postgresql');
  return [
    ...groups.flatMap((group) => statementLoggingProblems(group).map((problem) => ({ resource: group, problem }))),
    ...clusters.flatMap((cluster) => {
      const name = cluster.attributes.db_cluster_parameter_group_name;
      const group = stack.referenced(name);
      if (group && isAuroraPostgresGroup(group)) return [];
      const problem = isSet(name)
        ? `db_cluster_parameter_group_name ${String(name)} is no aurora-postgresql parameter group of this stack`
        : 'db_cluster_parameter_group_name is unset (the default group logs no statements)';
      return [{ resource: cluster, problem }];
    }),
  ];
}

export const rdsRules = [
  resourceRule({
    id: 'MRP-RDS-1',
    service: SERVICE,
    rationale: 'Database storage is encrypted with a customer-managed KMS key (storage_encrypted + kms_key_id).',
    appliesTo: CLUSTERS,
    check: (r) => [
      ...problemUnless(isTrue(r.attributes.storage_encrypted), 'storage_encrypted is not true'),
      ...problemUnless(isCustomerManagedKey(r.attributes.kms_key_id), 'kms_key_id is not a customer-managed key'),
    ],
  }),
  resourceRule({
    id: 'MRP-RDS-2',
    service: SERVICE,
    rationale: 'A global cluster created empty declares storage_encrypted (members must match it).',
    appliesTo: ['aws_rds_global_cluster'],
    check: (r) =>
      // Created from an existing cluster, the global cluster inherits that cluster's encryption.
      isSet(r.attributes.source_db_cluster_identifier)
        ? []
        : problemUnless(isTrue(r.attributes.storage_encrypted), 'storage_encrypted is not true'),
  }),
  resourceRule({
    id: 'MRP-RDS-3',
    service: SERVICE,
    rationale:
      'Databases have deletion_protection and lifecycle.prevent_destroy, so no apply or console click drops them.',
    appliesTo: [...CLUSTERS, 'aws_rds_global_cluster'],
    check: (r) => [
      ...problemUnless(isTrue(r.attributes.deletion_protection), 'deletion_protection is not true'),
      ...problemUnless(preventsDestroy(r), 'lifecycle.prevent_destroy is not true'),
    ],
  }),
  resourceRule({
    id: 'MRP-RDS-4',
    service: SERVICE,
    rationale: `Automated backups are kept at least ${MIN_BACKUP_RETENTION_DAYS} days (point-in-time restore window).`,
    appliesTo: CLUSTERS,
    check: (r) => {
      const days = asNumber(r.attributes.backup_retention_period);
      return problemUnless(
        days !== undefined && days >= MIN_BACKUP_RETENTION_DAYS,
        `backup_retention_period is ${String(r.attributes.backup_retention_period ?? 'unset (1 day)')}, expected >= ${MIN_BACKUP_RETENTION_DAYS}`,
      );
    },
  }),
  resourceRule({
    id: 'MRP-RDS-5',
    service: SERVICE,
    rationale: 'Database instances are never publicly accessible.',
    appliesTo: ['aws_rds_cluster_instance', 'aws_db_instance'],
    check: (r) => problemUnless(!isTrue(r.attributes.publicly_accessible), 'publicly_accessible is true'),
  }),
  resourceRule({
    id: 'MRP-RDS-6',
    service: SERVICE,
    rationale: 'Database logs are exported to CloudWatch Logs (enabled_cloudwatch_logs_exports).',
    appliesTo: CLUSTERS,
    check: (r) =>
      problemUnless(
        strings(r.attributes.enabled_cloudwatch_logs_exports).length > 0,
        'enabled_cloudwatch_logs_exports is empty',
      ),
  }),
  resourceRule({
    id: 'MRP-RDS-7',
    service: SERVICE,
    rationale:
      'No master password in configuration or state: use manage_master_user_password (with a CMK) or a write-only password.',
    appliesTo: CLUSTERS,
    check: (r) => {
      const a = r.attributes;
      return [
        ...problemUnless(
          !isSet(a.master_password) && !isSet(a.password),
          'a master password is set (it would be stored in state)',
        ),
        ...problemUnless(
          !isTrue(a.manage_master_user_password) || isCustomerManagedKey(a.master_user_secret_kms_key_id),
          'manage_master_user_password without a customer-managed master_user_secret_kms_key_id',
        ),
      ];
    },
  }),
  resourceRule({
    id: 'MRP-RDS-8',
    service: SERVICE,
    rationale: 'Applications authenticate with IAM database authentication, not shared passwords.',
    appliesTo: CLUSTERS,
    check: (r) =>
      problemUnless(
        isTrue(r.attributes.iam_database_authentication_enabled),
        'iam_database_authentication_enabled is not true',
      ),
  }),
  resourceRule({
    id: 'MRP-RDS-9',
    service: SERVICE,
    rationale: 'Database instances take automatic minor version upgrades (auto_minor_version_upgrade), or say why not.',
    appliesTo: ['aws_rds_cluster_instance', 'aws_db_instance'],
    check: (r) =>
      // Unset means true (the provider's default).
      problemUnless(!isFalse(r.attributes.auto_minor_version_upgrade), 'auto_minor_version_upgrade is false'),
  }),
  stackRule({
    id: 'MRP-RDS-10',
    service: SERVICE,
    rationale:
      'Aurora PostgreSQL clusters use a parameter group logging slow statements (log_min_duration_statement >= 0) and log_statement ddl, mod or all.',
    check: statementLogging,
  }),
];
