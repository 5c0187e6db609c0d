import { ConfigError } from '../../src/config/errors';
import { resolvePlan } from '../../src/plan/resolve';
import { production } from '../../src/config/environments/production';
import type { PlatformConfig, TerraformCloudSettings } from '../../src/config/types';

/** A deep-writable view of a configuration, for tests that break one field. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** A deep copy of `base` (production by default) with `change` applied. */
export function variant(
  change: (c: Mutable<PlatformConfig>) => void,
  base: PlatformConfig = production,
): PlatformConfig {
  const copy = structuredClone(base) as Mutable<PlatformConfig>;
  change(copy);
  return copy as PlatformConfig;
}

/** The issues validation reports for `config` (none when it is valid). */
export function issuesOf(config: PlatformConfig): ConfigError['issues'] {
  try {
    resolvePlan(config);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

/** The validation message for `config` ('' when it is valid). */
export function messages(config: PlatformConfig): string {
  try {
    resolvePlan(config);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

/** Keys of the seed's three regions: us-east (primary), eu-west and apac. */
export const SEED_REGION_KEYS: readonly string[] = ['us-east', 'eu-west', 'apac'];

/**
 * Production on the seed's three regions only, whatever else production lists: the fixture of tests
 * that count regions or add some (`withExtraRegions(threeRegions, n - 3)` has n regions), so that a
 * region added to production leaves them as they are.
 */
export const threeRegions: PlatformConfig = variant((c) => {
  c.regions = c.regions.filter((r) => SEED_REGION_KEYS.includes(r.key));
});

/**
 * {@link threeRegions} plus a fourth region, us-west, beyond the cache's member limit: a reader
 * region with no cache member of its own (it reads us-east's).
 */
export const withReaderRegion: PlatformConfig = variant((c) => {
  c.regions.push({ key: 'us-west', code: 'us-west-2', role: 'secondary', vpcCidr: '10.40.0.0/16', azCount: 3 });
}, threeRegions);

/** The Terraform Cloud settings of {@link terraformCloudConfig}. */
export const TERRAFORM_CLOUD: TerraformCloudSettings = {
  organization: 'acme-infra',
  project: 'market intelligence',
  hostname: 'app.terraform.io',
};

/**
 * Production with its state in Terraform Cloud (and `change` applied). Unchanged, one fixture for
 * every suite, so `synthOnce` synthesizes it once per run (backend, terraform validate).
 */
export function terraformCloudConfig(change: (c: Mutable<PlatformConfig>) => void = () => undefined): PlatformConfig {
  return variant((c) => {
    c.state.mode = 'terraform-cloud';
    c.state.terraformCloud = { ...TERRAFORM_CLOUD };
    change(c);
  });
}

/**
 * The seed's three regions with the opt-in features of the global stack: MSK Replicator instead of
 * MirrorMaker 2 (6 replicators, IAM-only clusters) and ARC routing controls gating the records
 * (`traffic.recoveryControl`). One fixture for every suite, synthesized once per run
 * (msk-replicator, terraform validate, which judges its global stack against the provider schema).
 */
export const mskReplicatorConfig: PlatformConfig = variant((c) => {
  c.streaming.replication.mode = 'msk-replicator';
  c.traffic.recoveryControl = {
    enabled: true,
    gateTraffic: true,
    clusterEndpoints: [
      { region: 'us-west-2', endpoint: 'https://a1b2c3d4.route53-recovery-cluster.us-west-2.amazonaws.com/v1' },
      { region: 'eu-west-1', endpoint: 'https://e5f6a7b8.route53-recovery-cluster.eu-west-1.amazonaws.com/v1' },
    ],
  };
}, threeRegions);
