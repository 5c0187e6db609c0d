import { ConfigError } from '../../src/config/errors';
import type { RegionConfig, RegionRole } from '../../src/config/types';
import type { PlatformConfig } from '../../src/config/types';
import { resolvePlan } from '../../src/plan/resolve';
import type { PlatformPlan, RegionPlan } from '../../src/plan/types';

/** The ConfigError `resolvePlan(config)` throws; fails the test when it resolves or throws anything else. */
export function planError(config: PlatformConfig): ConfigError {
  let thrown: unknown;
  try {
    resolvePlan(config);
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error('expected resolvePlan to throw a ConfigError, but it resolved');
  if (!(thrown instanceof ConfigError)) throw thrown;
  return thrown;
}

/** A plain three-AZ region without overrides. */
export function regionOf(
  key: string,
  code: string,
  vpcCidr: string,
  role: RegionRole = 'secondary',
  overrides?: RegionConfig['overrides'],
): RegionConfig {
  return { key, code, role, vpcCidr, azCount: 3, ...(overrides ? { overrides } : {}) };
}

/** The region `key` of `plan`; fails the test for an unknown key. */
export function regionOfPlan(plan: PlatformPlan, key: string): RegionPlan {
  const region = plan.regions.find((r) => r.key === key);
  if (!region) throw new Error(`no region ${key} in the plan (${plan.regions.map((r) => r.key).join(', ')})`);
  return region;
}

/** Minutes since midnight of an `hh:mm` clock. */
export function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}
