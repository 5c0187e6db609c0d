import { App, Aspects, TerraformStack, type AppConfig } from 'cdktf';
import { resolveRegion } from './config/load';
import type { PlatformConfig } from './config/types';
import { TaggingAspect } from './aspects/tagging';
import { PolicyAspect } from './policy/policy-aspect';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { DataStack } from './stacks/data-stack';
import { DnsStack } from './stacks/dns-stack';
import { GlobalStack } from './stacks/global-stack';
import { RegionalStack } from './stacks/regional-stack';
import { WorkloadsData } from './stacks/workloads-data';
import { WorkloadsObservability } from './stacks/workloads-observability';
import { WorkloadsStack } from './stacks/workloads-stack';
import { WorkloadsStreaming } from './stacks/workloads-streaming';

export interface Platform {
  readonly app: App;
  readonly bootstrap: BootstrapStack;
  readonly dns: DnsStack;
  readonly regional: readonly RegionalStack[];
  readonly global: GlobalStack;
  /** One per region, after global: the regional members of the global data stores (docs/data.md). */
  readonly data: readonly DataStack[];
  /** One per region: in-cluster resources through the kubernetes and helm providers (no AWS resources). */
  readonly workloads: readonly WorkloadsStack[];
}

/**
 * Builds every stack of the platform for a validated configuration.
 * Graph: bootstrap (alone) ; dns -> region-<key> (independent of each other) -> global -> workloads-<key>.
 */
export function buildPlatform(config: PlatformConfig, appConfig: AppConfig = {}): Platform {
  const app = new App(appConfig);
  const bootstrap = new BootstrapStack(app, config);
  const dns = new DnsStack(app, config);
  const regional = config.regions.map((region) => new RegionalStack(app, config, resolveRegion(config, region), dns));
  const global = new GlobalStack(app, config, regional, dns);
  const data = regional.map((stack) => new DataStack(app, config, stack, global));
  // Secondaries join the global cluster only once the primary cluster exists: ordering only, no reference.
  const primaryData = data.find((d) => d.regional.region.role === 'primary');
  for (const d of data) if (primaryData && d !== primaryData) d.addDependency(primaryData);
  const workloads = regional.map((stack) => new WorkloadsStack(app, config, stack));
  workloads.forEach((w, i) => new WorkloadsData(w, 'data', { config, data: data[i], global }));
  const workspaceRegion = (config.regions.find((r) => r.role === 'primary') ?? config.regions[0]).code;
  workloads.forEach(
    (w, i) =>
      new WorkloadsObservability(w, 'observability', {
        config,
        regionKey: regional[i].region.key,
        prometheus: global.observability.prometheus,
        workspaceRegion,
      }),
  );
  if (config.streaming.replication.mode === 'mirrormaker2') {
    workloads.forEach(
      (w, i) => new WorkloadsStreaming(w, 'streaming', { config, regional: regional[i], regions: regional }),
    );
  }
  // cdktf invokes aspects per stack from the stack down: aspects on the App would never run.
  const tagging = new TaggingAspect({ project: config.project, environment: config.environment, extra: config.tags });
  for (const stack of [bootstrap, dns, ...regional, global, ...data]) Aspects.of(stack).add(tagging);
  // Keep last: the security policy pack (docs/policy.md) covers every stack built above; a
  // finding fails synth.
  const policy = new PolicyAspect();
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) Aspects.of(stack).add(policy);
  return { app, bootstrap, dns, regional, global, data, workloads };
}
