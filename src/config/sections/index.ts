import type { RegionalSettings } from '../types';
import { validateAuroraSettings } from './aurora';
import { validateClickHouseSettings } from './clickhouse';
import { validateDataConfig } from './data';
import { validateDelivery } from './delivery';
import { checkEksAcrossFields, validateEksSettings } from './eks';
import { validateElastiCacheSettings } from './elasticache';
import { validateEventBridgeSettings } from './eventbridge';
import { validateIngressSettings } from './ingress';
import { validateMaintenanceSettings } from './maintenance';
import { validateMskSettings } from './msk';
import { validateNetworkSettings } from './network';
import { validateObservability } from './observability';
import type { ConfigCheck, SectionValidator } from './section';
import { validateSecurity } from './security';
import { validateStateMode } from './state-mode';
import { validateStreaming } from './streaming';
import { checkTraffic } from './traffic';
import { validateWorkloads } from './workloads';

export type { ConfigCheck, SectionValidator } from './section';

/** One validator per section of RegionalSettings: adding a section without one fails to compile. */
export const REGIONAL_SECTIONS: { readonly [K in keyof RegionalSettings]: SectionValidator<RegionalSettings[K]> } = {
  network: validateNetworkSettings,
  eks: validateEksSettings,
  ingress: validateIngressSettings,
  maintenance: validateMaintenanceSettings,
  aurora: validateAuroraSettings,
  elasticache: validateElastiCacheSettings,
  clickhouse: validateClickHouseSettings,
  msk: validateMskSettings,
  eventBridge: validateEventBridgeSettings,
};

/** Whole-configuration checks that span sections or regions. */
export const CONFIG_CHECKS: readonly ConfigCheck[] = [
  validateStateMode,
  validateDataConfig,
  validateStreaming,
  checkEksAcrossFields,
  validateWorkloads,
  checkTraffic,
  validateObservability,
  validateSecurity,
  validateDelivery,
];
