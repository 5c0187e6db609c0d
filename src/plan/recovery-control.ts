import type { PlatformConfig } from '../config/types';
import { Naming } from './naming';
import type { RecoveryControlPlan } from './types';

/**
 * Milliseconds the safety rule blocks further changes of its routing controls after one (ARC's
 * default, against flapping). The DR CLI waits it out before it restores a drained region.
 */
export const SAFETY_RULE_WAIT_MS = 5000;

/**
 * The ARC routing-control names of `traffic.recoveryControl` (docs/traffic.md, "Routing controls"),
 * or undefined when it is off. The global stack creates exactly these and the DR CLI finds the
 * routing controls by these names in the cluster (src/readiness/identifiers.ts proves both agree).
 */
export function recoveryControlPlan(
  config: Pick<PlatformConfig, 'project' | 'environment' | 'regions' | 'traffic'>,
): RecoveryControlPlan | undefined {
  const settings = config.traffic.recoveryControl;
  if (!settings?.enabled) return undefined;
  const naming = new Naming(config);
  const checkPrefix = naming.global('api');
  return {
    clusterName: naming.global('arc'),
    controlPanelName: naming.global('traffic'),
    safetyRuleName: naming.global('at-least-one-region-on'),
    safetyRuleWaitMs: SAFETY_RULE_WAIT_MS,
    gateTraffic: settings.gateTraffic === true,
    clusterEndpoints: settings.clusterEndpoints ?? [],
    regions: config.regions.map((r) => ({
      key: r.key,
      routingControl: naming.regional(r.key, 'traffic'),
      controlHealthCheck: `${checkPrefix}-${r.key}-control`,
      gatedHealthCheck: `${checkPrefix}-${r.key}-gated`,
    })),
  };
}
