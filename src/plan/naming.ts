import type { PlatformConfig } from './config/types';

/** Stack ids double as folder names in cdktf.out and as state keys. */
export const STACK_IDS = {
  bootstrap: 'state-bootstrap',
  dns: 'dns',
  global: 'global',
  regional: (regionKey: string) => `region-${regionKey}`,
  data: (regionKey: string) => `data-${regionKey}`,
  workloads: (regionKey: string) => `workloads-${regionKey}`,
} as const;

/** Builds every AWS resource name from config, so names stay consistent and collision-free. */
export class Naming {
  constructor(private readonly config: Pick<PlatformConfig, 'project' | 'environment'>) {}

  /** `<project>-<environment>`: prefix of every name. */
  get prefix(): string {
    return `${this.config.project}-${this.config.environment}`;
  }

  /** Name of a regional resource, e.g. `mi-production-us-east-vpc`. */
  regional(regionKey: string, component: string): string {
    return `${this.prefix}-${regionKey}-${component}`;
  }

  /** Name of a resource that spans regions, e.g. `mi-production-global-db`. */
  global(component: string): string {
    return `${this.prefix}-${component}`;
  }

  /** Terraform Cloud workspace of a stack, e.g. `mi-production-region-us-east`. */
  workspace(stackId: string): string {
    return `${this.prefix}-${stackId}`;
  }

  /**
   * Identifiers of the DR-relevant resources: the data and traffic stacks name them with these and
   * the DR CLI (src/dr) finds them by the same names.
   */
  get dr() {
    return {
      /** Aurora global cluster identifier. */
      auroraGlobalCluster: this.global('aurora'),
      /** Aurora regional member cluster identifier. */
      auroraCluster: (regionKey: string) => this.regional(regionKey, 'aurora'),
      /** ElastiCache global datastore id suffix (AWS prepends a per-region prefix). */
      cacheGlobalDatastoreSuffix: this.global('cache'),
      /** ElastiCache replication group id of a region's member of the global datastore. */
      cacheReplicationGroup: (regionKey: string) => this.regional(regionKey, 'cache'),
      /** `Name` tag of a region's Route 53 health check. */
      healthCheck: (regionKey: string) => this.regional(regionKey, 'health'),
    };
  }

  /** State object key of a stack. */
  stateKey(stackId: string): string {
    return `${this.config.environment}/${stackId}.tfstate`;
  }
}
