import type { RecordSpec } from '../../modules/traffic/types';
import { parseGeoKey } from '../config/traffic-types';
import type { PlatformConfig } from '../config/types';

/** DNS labels of the API names under `domainName` (all built here, see docs/traffic.md). */
export const API_LABELS = {
  main: 'api',
  latency: 'api-latency',
  geo: 'api-geo',
  weighted: 'api-weighted',
  dr: 'api-dr',
  /** Latency set over the non-primary regions: the SECONDARY leg of `api` with failover. */
  secondary: 'api-secondary',
  direct: (regionKey: string) => `api-${regionKey}`,
} as const;

export type TrafficPlanInput = Pick<PlatformConfig, 'domainName' | 'regions' | 'traffic'> & {
  /** Key of the primary region (decided by the plan). */
  readonly primary: string;
  /** `api-weighted` weight of every region (resolved by the plan: src/plan/resolve.ts). */
  readonly weights: Readonly<Record<string, number>>;
};

export function fqdn(config: Pick<PlatformConfig, 'domainName'>, label: string): string {
  return `${label}.${config.domainName}`;
}

/** Name a region's load balancer answers on directly, health-checked and used as CloudFront origin. */
export function directHostname(config: Pick<PlatformConfig, 'domainName'>, regionKey: string): string {
  return fqdn(config, API_LABELS.direct(regionKey));
}

/**
 * Every record of the API names, as data. Routed records pointing at a region carry that region's
 * health check. Names that route to other names of the zone (geo default, failover secondary) do
 * so through records whose own health follows the target set (alias `evaluate_target_health`).
 */
export function trafficPlan(config: TrafficPlanInput): RecordSpec[] {
  const records: RecordSpec[] = [];
  const regions = config.regions;
  const primary = config.primary;
  const toRegion = (region: string) => ({ kind: 'region', region }) as const;

  for (const r of regions) {
    records.push({
      id: `direct-${r.key}`,
      label: API_LABELS.direct(r.key),
      policy: { kind: 'simple' },
      target: toRegion(r.key),
    });
  }
  const latencySet = (label: string, members: typeof regions) =>
    members.map((r) => ({
      id: `${label}-${r.key}`,
      label,
      setIdentifier: r.key,
      policy: { kind: 'latency', awsRegion: r.code } as const,
      target: toRegion(r.key),
      healthCheckRegion: r.key,
    }));
  records.push(...latencySet(API_LABELS.latency, regions));

  for (const [key, region] of Object.entries(config.traffic.geoRouting)) {
    const location = parseGeoKey(key);
    if (!location) continue; // refused by validation
    records.push({
      id: `${API_LABELS.geo}-${key.replace(':', '-').toLowerCase()}`,
      label: API_LABELS.geo,
      setIdentifier: key.replace(':', '-').toLowerCase(),
      policy: { kind: 'geo', ...location },
      target: toRegion(region),
      healthCheckRegion: region,
    });
  }
  records.push({
    id: `${API_LABELS.geo}-default`,
    label: API_LABELS.geo,
    setIdentifier: 'default',
    policy: { kind: 'geo', country: '*' },
    target: { kind: 'record', label: API_LABELS.latency },
  });

  for (const r of regions) {
    records.push({
      id: `${API_LABELS.weighted}-${r.key}`,
      label: API_LABELS.weighted,
      setIdentifier: r.key,
      policy: { kind: 'weighted', weight: config.weights[r.key] },
      target: toRegion(r.key),
      healthCheckRegion: r.key,
    });
  }

  if (config.traffic.apiPolicy === 'failover') {
    records.push({
      id: `${API_LABELS.main}-primary`,
      label: API_LABELS.main,
      setIdentifier: 'primary',
      policy: { kind: 'failover', role: 'PRIMARY' },
      target: toRegion(primary),
      healthCheckRegion: primary,
    });
    records.push({
      id: `${API_LABELS.main}-secondary`,
      label: API_LABELS.main,
      setIdentifier: 'secondary',
      policy: { kind: 'failover', role: 'SECONDARY' },
      target: { kind: 'record', label: API_LABELS.secondary },
    });
    records.push(
      ...latencySet(
        API_LABELS.secondary,
        regions.filter((r) => r.key !== primary),
      ),
    );
  } else {
    records.push(...latencySet(API_LABELS.main, regions));
  }

  records.push({
    id: 'dr',
    label: API_LABELS.dr,
    policy: { kind: 'simple' },
    target: toRegion(config.traffic.drRegion),
  });
  return records;
}

/** Labels whose answers can reach `regionKey`, following same-zone targets: its certificate names. */
export function labelsServedBy(plan: readonly RecordSpec[], regionKey: string): string[] {
  const served = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const rec of plan) {
      if (served.has(rec.label)) continue;
      const reaches = rec.target.kind === 'region' ? rec.target.region === regionKey : served.has(rec.target.label);
      if (reaches) {
        served.add(rec.label);
        changed = true;
      }
    }
  }
  return plan.map((r) => r.label).filter((label, i, all) => served.has(label) && all.indexOf(label) === i);
}

/**
 * Names the certificate of a region's load balancer must cover: `api-<key>` first, then every
 * routed name that can answer with this region (not `api-secondary`: clients ask for `api`).
 */
export function certificateNames(
  records: readonly RecordSpec[],
  config: Pick<PlatformConfig, 'domainName'>,
  regionKey: string,
): string[] {
  const direct = API_LABELS.direct(regionKey);
  const labels = labelsServedBy(records, regionKey).filter((l) => l !== direct && l !== API_LABELS.secondary);
  return [direct, ...labels].map((label) => fqdn(config, label));
}
