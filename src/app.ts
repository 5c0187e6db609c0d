import { App, Aspects, dependable, TerraformStack, type AppConfig } from 'cdktf';
import type { PlatformPlan } from './plan/types';
import { TaggingAspect } from './aspects/tagging';
import { PolicyAspect } from './policy/policy-aspect';
import type { CacheExports, RegionalExports } from './parts/exports';
import { peeredAppClients } from './parts/cache-member';
import { WorkloadsData } from './parts/workloads-data';
import { WorkloadsObservability } from './parts/workloads-observability';
import { WorkloadsStreaming } from './parts/workloads-streaming';
import { BootstrapStack } from './stacks/bootstrap-stack';
import { DataStack } from './stacks/data-stack';
import { DnsStack } from './stacks/dns-stack';
import { GlobalStack } from './stacks/global-stack';
import { RegionalStack } from './stacks/regional-stack';
import { WorkloadsStack } from './stacks/workloads-stack';

export interface Platform {
  readonly app: App;
  readonly plan: PlatformPlan;
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
 * Builds every stack of the platform from its resolved plan (src/plan/resolve.ts). Each stack gets
 * its slice of the plan and the typed exports of the stacks it depends on (src/parts/exports.ts).
 * Graph: bootstrap (alone); dns -> region-<key> (independent of each other) -> global ->
 * data-<key> (primary first) -> workloads-<key>.
 */
export function buildPlatform(plan: PlatformPlan, appConfig: AppConfig = {}): Platform {
  const app = new App(appConfig);
  const bootstrap = new BootstrapStack(app, plan.stackIds.bootstrap, { plan });
  const dns = new DnsStack(app, plan.stackIds.dns, { plan });
  const regional = plan.regions.map(
    (region) => new RegionalStack(app, region.stackIds.regional, { plan, region, dns: dns.exports }),
  );
  const regionalExports = new Map<string, RegionalExports>(regional.map((r) => [r.region.key, r.exports]));
  const global = new GlobalStack(app, plan.stackIds.global, { plan, regional: regionalExports, dns: dns.exports });
  const data = plan.regions.map(
    (region) =>
      new DataStack(app, region.stackIds.data, {
        plan,
        region,
        regional: regionalExports.get(region.key)!,
        global: global.exports,
        peers: peeredAppClients(plan, region),
      }),
  );
  // Secondaries join the global cluster only once the primary cluster exists: ordering only, no reference.
  const primaryData = data.find((d) => d.region.isPrimary)!;
  for (const d of data) if (d !== primaryData) d.addDependency(primaryData);

  // The cache member each region reads: its own, the primary's (global stack), or the nearest one.
  const cacheOf = (key: string): CacheExports =>
    key === plan.primary.key ? global.exports.cachePrimary : data.find((d) => d.region.key === key)!.exports.cache!;
  const workloads = plan.regions.map((region, i) => {
    const stack = new WorkloadsStack(app, region.stackIds.workloads, {
      plan,
      region,
      regional: regionalExports.get(region.key)!,
    });
    const workloadsData = new WorkloadsData(stack, 'data', {
      plan,
      region,
      regional: regionalExports.get(region.key)!,
      data: data[i].exports,
      global: global.exports,
      cacheReader: cacheOf(region.cache.readsFrom),
    });
    // On the first deploy the application's pods start only once its database user exists.
    const appRelease = stack.releases[plan.config.workloads.charts.application.chart];
    if (workloadsData.dbBootstrap) {
      appRelease.dependsOn = [...(appRelease.dependsOn ?? []), dependable(workloadsData.dbBootstrap.job)];
    }
    new WorkloadsObservability(stack, 'observability', {
      config: plan.config,
      regionKey: region.key,
      prometheus: global.exports.prometheus,
      workspaceRegion: plan.primary.code,
    });
    if (plan.config.streaming.replication.mode === 'mirrormaker2') {
      new WorkloadsStreaming(stack, 'streaming', { plan, region, regional: regionalExports });
    }
    return stack;
  });

  // cdktf invokes aspects per stack from the stack down: aspects on the App would never run.
  const config = plan.config;
  const tagging = new TaggingAspect({ project: config.project, environment: config.environment, extra: config.tags });
  for (const stack of [bootstrap, dns, ...regional, global, ...data]) Aspects.of(stack).add(tagging);
  // Keep last: the security policy pack (docs/policy.md) covers every stack built above; a
  // finding fails synth.
  const policy = new PolicyAspect();
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) Aspects.of(stack).add(policy);
  return { app, plan, bootstrap, dns, regional, global, data, workloads };
}
