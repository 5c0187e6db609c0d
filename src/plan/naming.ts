import type { PlatformConfig } from '../config/types';

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

  /** Event bus of a region: the regional stack creates it, the other regions target it by name. */
  eventBus(regionKey: string): string {
    return this.regional(regionKey, 'events');
  }

  /** State object key of a stack. */
  stateKey(stackId: string): string {
    return `${this.config.environment}/${stackId}.tfstate`;
  }
}
