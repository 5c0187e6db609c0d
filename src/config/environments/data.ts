import type { DataConfig } from '../data-types';

/**
 * The global data stores' settings shared by every environment, so staging runs the versions
 * production will; `nodeType` is the environment's own.
 */
export function dataConfig(cacheNodeType: string): DataConfig {
  return {
    aurora: {
      engineVersion: '15.14',
      databaseName: 'marketintel',
      masterUsername: 'platform_admin',
      masterPasswordVersion: 1,
      logging: { minDurationStatementMs: 1000, logStatement: 'ddl', pgaudit: false },
    },
    // redis, not valkey, by default: with aws provider 5.100 a valkey datastore's secondary members
    // are planned as engine "redis" (hashicorp/terraform-provider-aws#41713); see docs/data.md.
    elasticache: { engine: 'redis', engineVersion: '7.1', nodeType: cacheNodeType },
    backup: {
      enabled: true,
      retentionDays: 35,
      copyRetentionDays: 35,
      vaultLock: { mode: 'governance', minRetentionDays: 7, maxRetentionDays: 365 },
      restoreTesting: true,
    },
    clickhouse: { operatorChartVersion: '0.25.5', image: 'altinity/clickhouse-server:24.8.14.10459.altinitystable' },
  };
}
