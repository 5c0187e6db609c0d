import { App, Aspects, type AppConfig } from 'cdktf';
import { resolveRegion } from './config/load';
import type { PlatformConfig } from './config/types';
import { TaggingAspect } from './aspects/tagging';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { GlobalStack } from './stacks/global-stack';
import { RegionalStack } from './stacks/regional-stack';

export interface Platform {
  readonly app: App;
  readonly bootstrap: BootstrapStack;
  readonly regional: readonly RegionalStack[];
  readonly global: GlobalStack;
}

/**
 * Builds every stack of the platform for a validated configuration.
 * Graph: bootstrap (alone) ; region-<key> (independent of each other) -> global -> workloads-<key>.
 */
export function buildPlatform(config: PlatformConfig, appConfig: AppConfig = {}): Platform {
  const app = new App(appConfig);
  const bootstrap = new BootstrapStack(app, config);
  const regional = config.regions.map((region) => new RegionalStack(app, config, resolveRegion(config, region)));
  const global = new GlobalStack(app, config, regional);
  // cdktf invokes aspects per stack from the stack down: aspects on the App would never run.
  const tagging = new TaggingAspect({ project: config.project, environment: config.environment, extra: config.tags });
  for (const stack of [bootstrap, ...regional, global]) Aspects.of(stack).add(tagging);
  return { app, bootstrap, regional, global };
}
