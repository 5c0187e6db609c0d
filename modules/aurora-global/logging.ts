/**
 * What an Aurora PostgreSQL member logs (docs/data.md, "PostgreSQL logging"). The log itself is
 * exported to the member's `postgresql` log group (KMS-encrypted, with retention).
 */

/** `log_statement` values PostgreSQL accepts, from least to most verbose. */
export const POSTGRES_LOG_STATEMENTS = ['none', 'ddl', 'mod', 'all'] as const;
export type PostgresLogStatement = (typeof POSTGRES_LOG_STATEMENTS)[number];

/** Longest `log_min_duration_statement` accepted, ms (one hour: longer is no slow-query log at all). */
export const MAX_MIN_DURATION_STATEMENT_MS = 3_600_000;

export interface PostgresLoggingSettings {
  /**
   * `log_min_duration_statement`: statements running at least this long are logged with their
   * duration (0 logs every statement). Never off: the slow-query log is the control.
   * @default 1000
   */
  readonly minDurationStatementMs: number;
  /**
   * `log_statement`: which statements are logged as they start. `ddl` records every schema and
   * role change without the volume (and the data in literals) of `mod` or `all`.
   * @default 'ddl'
   */
  readonly logStatement: PostgresLogStatement;
  /**
   * Load pgaudit (`shared_preload_libraries`) and log its `ddl` and `role` classes. The library is
   * a static parameter: a running cluster picks it up at its next reboot, and the extension still
   * needs `CREATE EXTENSION pgaudit` in the database (docs/data.md).
   * @default false
   */
  readonly pgaudit: boolean;
}

export const DEFAULT_POSTGRES_LOGGING: PostgresLoggingSettings = {
  minDurationStatementMs: 1000,
  logStatement: 'ddl',
  pgaudit: false,
};

/** A cluster parameter, in the provider's shape. */
export interface ClusterParameter {
  readonly name: string;
  readonly value: string;
  readonly applyMethod: 'immediate' | 'pending-reboot';
}

/**
 * The logging parameters of a cluster parameter group. Dynamic parameters apply immediately;
 * `shared_preload_libraries` waits for a reboot, and keeps `pg_stat_statements` (the engine's
 * default, which Performance Insights' SQL statistics rely on).
 */
export function postgresLoggingParameters(settings: PostgresLoggingSettings): ClusterParameter[] {
  const parameters: ClusterParameter[] = [
    { name: 'log_min_duration_statement', value: String(settings.minDurationStatementMs), applyMethod: 'immediate' },
    { name: 'log_statement', value: settings.logStatement, applyMethod: 'immediate' },
  ];
  if (settings.pgaudit) {
    parameters.push(
      { name: 'shared_preload_libraries', value: 'pg_stat_statements,pgaudit', applyMethod: 'pending-reboot' },
      { name: 'pgaudit.log', value: 'ddl,role', applyMethod: 'immediate' },
      { name: 'pgaudit.log_parameter', value: '0', applyMethod: 'immediate' },
    );
  }
  return parameters;
}
