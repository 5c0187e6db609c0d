import { parseCidr } from '../../../modules/common/cidr';
import type { IssueCollector } from '../errors';
import {
  API_ROUTING_POLICIES,
  GEO_CONTINENTS,
  HEALTH_CHECKER_REGIONS,
  HEALTH_CHECK_INTERVALS,
  MIN_HEALTH_CHECKER_REGIONS,
  PRICE_CLASSES,
  RECORD_TARGETS,
  RESERVED_REGION_KEYS,
  parseGeoKey,
  type EdgeConfig,
  type RecoveryControlSettings,
  type TrafficConfig,
} from '../traffic-types';
import type { OriginVerifySettings } from '../../../modules/traffic/origin-verify-settings';
import type { PlatformConfig } from '../types';
import type { ConfigCheck } from './section';
import { checkLogRetention, isInt, isIntIn } from './util';

const ZONE_ID_RE = /^Z[A-Z0-9]{1,31}$/;
const LABEL_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const COUNTRY_RE = /^[A-Z]{2}$/;
/** HSTS preload lists require at least a year. */
export const MIN_HSTS_MAX_AGE_SECONDS = 31536000;
const MAX_TTL_SECONDS = 86400;

/** Checks `traffic`, `edge` and `recovery` (the failover budget against the RTO is checked by resolvePlan, src/plan/resolve.ts). */
export const checkTraffic: ConfigCheck = (config, issues) => {
  const traffic = config.traffic as Partial<TrafficConfig> | undefined;
  const edge = config.edge as Partial<EdgeConfig> | undefined;
  if (!traffic || typeof traffic !== 'object') issues.add('traffic', traffic, 'expected the traffic settings');
  else checkTrafficSection(config, traffic, issues);
  if (!edge || typeof edge !== 'object') issues.add('edge', edge, 'expected the edge (CloudFront + WAF) settings');
  else checkEdgeSection(edge, issues);
  const rto = config.recovery?.rtoSeconds;
  issues.check(isIntIn(rto, 1, 86400), 'recovery.rtoSeconds', rto, 'expected a whole number of seconds, 1 to 86400');
};

function checkTrafficSection(config: PlatformConfig, t: Partial<TrafficConfig>, issues: IssueCollector): void {
  const regionKeys = (config.regions ?? []).map((r) => r.key);
  const keyList = regionKeys.join(', ');
  const primary = (config.regions ?? []).find((r) => r.role === 'primary')?.key;

  const zone = t.hostedZone as { mode?: string; zoneId?: unknown } | undefined;
  if (zone?.mode === 'adopt') {
    issues.check(
      typeof zone.zoneId === 'string' && ZONE_ID_RE.test(zone.zoneId),
      'traffic.hostedZone.zoneId',
      zone.zoneId,
      'expected a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"',
    );
  } else if (zone?.mode !== 'create') {
    issues.add('traffic.hostedZone', zone, 'expected { mode: "create" } or { mode: "adopt", zoneId: "Z..." }');
  }

  issues.check(
    RECORD_TARGETS.includes(t.recordTarget as never),
    'traffic.recordTarget',
    t.recordTarget,
    `expected one of ${RECORD_TARGETS.join(', ')}`,
  );
  issues.check(
    isIntIn(t.recordTtlSeconds, 1, MAX_TTL_SECONDS),
    'traffic.recordTtlSeconds',
    t.recordTtlSeconds,
    `expected a TTL in whole seconds, 1 to ${MAX_TTL_SECONDS}`,
  );

  const hc = t.healthCheck;
  if (!hc || typeof hc !== 'object') {
    issues.add('traffic.healthCheck', hc, 'expected the health check settings');
  } else {
    issues.check(
      typeof hc.resourcePath === 'string' && /^\/[\x21-\x7e]{0,254}$/.test(hc.resourcePath),
      'traffic.healthCheck.resourcePath',
      hc.resourcePath,
      'expected an absolute path such as "/actuator/health/readiness" (at most 255 characters, no spaces)',
    );
    issues.check(
      (HEALTH_CHECK_INTERVALS as readonly number[]).includes(hc.requestIntervalSeconds),
      'traffic.healthCheck.requestIntervalSeconds',
      hc.requestIntervalSeconds,
      `expected one of ${HEALTH_CHECK_INTERVALS.join(', ')} (Route 53 request intervals)`,
    );
    issues.check(
      isIntIn(hc.failureThreshold, 1, 10),
      'traffic.healthCheck.failureThreshold',
      hc.failureThreshold,
      'expected a whole number from 1 to 10',
    );
    issues.check(
      typeof hc.measureLatency === 'boolean',
      'traffic.healthCheck.measureLatency',
      hc.measureLatency,
      'expected true or false',
    );
    const checkers = hc.checkerRegions;
    if (!Array.isArray(checkers) || new Set(checkers).size < MIN_HEALTH_CHECKER_REGIONS) {
      issues.add(
        'traffic.healthCheck.checkerRegions',
        checkers,
        `expected at least ${MIN_HEALTH_CHECKER_REGIONS} distinct checker regions`,
      );
    }
    (Array.isArray(checkers) ? checkers : []).forEach((code, i) =>
      issues.check(
        HEALTH_CHECKER_REGIONS.includes(code as never),
        `traffic.healthCheck.checkerRegions[${i}]`,
        code,
        `expected a Route 53 health checker region (${HEALTH_CHECKER_REGIONS.join(', ')})`,
      ),
    );
  }

  issues.check(
    API_ROUTING_POLICIES.includes(t.apiPolicy as never),
    'traffic.apiPolicy',
    t.apiPolicy,
    `expected one of ${API_ROUTING_POLICIES.join(', ')}`,
  );

  const geo = t.geoRouting;
  if (!geo || typeof geo !== 'object') {
    issues.add('traffic.geoRouting', geo, 'expected a map of "continent:XX" or "country:XX" to region keys');
  } else {
    for (const [key, region] of Object.entries(geo)) {
      const at = `traffic.geoRouting["${key}"]`;
      const location = parseGeoKey(key);
      if (!location) {
        issues.add(
          at,
          key,
          `expected "continent:<${GEO_CONTINENTS.join('|')}>" or "country:<ISO 3166 alpha-2>"; the default (*) record always routes to api-latency`,
        );
      } else if ('continent' in location) {
        issues.check(
          GEO_CONTINENTS.includes(location.continent as never),
          at,
          key,
          `expected a continent code: ${GEO_CONTINENTS.join(', ')}`,
        );
      }
      // A country key parseGeoKey accepts is two capital letters already: nothing more to check.
      issues.check(regionKeys.includes(region), at, region, `expected a region key (${keyList})`);
    }
  }

  const weights = t.weights;
  if (!weights || typeof weights !== 'object') {
    issues.add('traffic.weights', weights, 'expected a map of region keys to weights 0-255');
  } else {
    for (const [key, weight] of Object.entries(weights)) {
      issues.check(regionKeys.includes(key), `traffic.weights["${key}"]`, key, `expected a region key (${keyList})`);
      issues.check(
        isIntIn(weight, 0, 255),
        `traffic.weights["${key}"]`,
        weight,
        'expected a whole number from 0 to 255',
      );
    }
    const total = regionKeys.reduce((sum, key) => sum + (isIntIn(weights[key], 0, 255) ? weights[key] : 0), 0);
    issues.check(
      total > 0,
      'traffic.weights',
      weights,
      'expected at least one region with a weight above 0 (otherwise api-weighted spreads evenly, ignoring intent)',
    );
  }

  if (
    issues.check(
      regionKeys.includes(t.drRegion as string),
      'traffic.drRegion',
      t.drRegion,
      `expected a region key (${keyList})`,
    )
  ) {
    issues.check(
      t.drRegion !== primary,
      'traffic.drRegion',
      t.drRegion,
      'expected a region other than the primary: api-dr and CloudFront fail over there',
    );
  }

  const cidrs = t.directAccessCidrs;
  if (!Array.isArray(cidrs)) {
    issues.add('traffic.directAccessCidrs', cidrs, 'expected a list of IPv4 CIDRs (may be empty)');
  } else {
    cidrs.forEach((cidr, i) =>
      issues.check(
        typeof cidr === 'string' && parseCidr(cidr) !== undefined,
        `traffic.directAccessCidrs[${i}]`,
        cidr,
        'expected an IPv4 CIDR aligned to its prefix, e.g. "203.0.113.0/24"',
      ),
    );
  }

  checkRecoveryControl(t.recoveryControl, issues);

  (config.regions ?? []).forEach((r, i) =>
    issues.check(
      !(RESERVED_REGION_KEYS as readonly string[]).includes(r.key),
      `regions[${i}].key`,
      r.key,
      `expected a key other than ${RESERVED_REGION_KEYS.join(', ')}: api-<key> would collide with a routed name`,
    ),
  );
}

const REGION_CODE_RE = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** An ARC cluster endpoint URL as AWS returns it: https, a host name, optionally a path such as `/v1`. */
const CLUSTER_ENDPOINT_RE = /^https:\/\/[a-z0-9]([a-z0-9.-]{0,200}[a-z0-9])?(\/[A-Za-z0-9._~/-]*)?$/;

function checkRecoveryControl(rc: RecoveryControlSettings | undefined, issues: IssueCollector): void {
  if (rc === undefined) return;
  if (!rc || typeof rc !== 'object') {
    issues.add('traffic.recoveryControl', rc, 'expected { enabled: true | false } (or leave it out: off)');
    return;
  }
  issues.check(
    typeof rc.enabled === 'boolean',
    'traffic.recoveryControl.enabled',
    rc.enabled,
    'expected true or false',
  );
  const gate = rc.gateTraffic;
  if (gate !== undefined && typeof gate !== 'boolean') {
    issues.add('traffic.recoveryControl.gateTraffic', gate, 'expected true or false');
  }
  const endpoints = rc.clusterEndpoints;
  if (endpoints !== undefined && !Array.isArray(endpoints)) {
    issues.add(
      'traffic.recoveryControl.clusterEndpoints',
      endpoints,
      'expected the list of { region, endpoint } of the global stack output recovery_control_cluster_endpoints',
    );
  }
  (Array.isArray(endpoints) ? endpoints : []).forEach((e, i) => {
    const at = `traffic.recoveryControl.clusterEndpoints[${i}]`;
    issues.check(
      typeof e?.region === 'string' && REGION_CODE_RE.test(e.region),
      `${at}.region`,
      e?.region,
      'expected an AWS region code such as "us-west-2"',
    );
    issues.check(
      typeof e?.endpoint === 'string' && CLUSTER_ENDPOINT_RE.test(e.endpoint),
      `${at}.endpoint`,
      e?.endpoint,
      'expected the https URL of a cluster endpoint, e.g. "https://abcd1234.route53-recovery-cluster.us-west-2.amazonaws.com/v1"',
    );
  });
  if (gate === true) {
    issues.check(
      rc.enabled === true,
      'traffic.recoveryControl.gateTraffic',
      gate,
      'expected false while enabled is false: records can only follow routing controls that exist',
    );
    issues.check(
      Array.isArray(endpoints) && endpoints.length > 0,
      'traffic.recoveryControl.clusterEndpoints',
      endpoints,
      'expected the cluster endpoints (global stack output recovery_control_cluster_endpoints) before gateTraffic: the DR CLI moves traffic through them',
    );
  }
}

function checkEdgeSection(e: Partial<EdgeConfig>, issues: IssueCollector): void {
  issues.check(
    typeof e.hostname === 'string' && LABEL_RE.test(e.hostname) && !/^api(-|$)/.test(e.hostname),
    'edge.hostname',
    e.hostname,
    'expected one lowercase DNS label not starting with "api" (those names belong to Route 53 routing)',
  );
  issues.check(
    isIntIn(e.originConnectionTimeoutSeconds, 1, 10),
    'edge.originConnectionTimeoutSeconds',
    e.originConnectionTimeoutSeconds,
    'expected a whole number of seconds from 1 to 10',
  );
  issues.check(
    isIntIn(e.originConnectionAttempts, 1, 3),
    'edge.originConnectionAttempts',
    e.originConnectionAttempts,
    'expected 1, 2 or 3',
  );
  issues.check(
    isIntIn(e.originReadTimeoutSeconds, 1, 60),
    'edge.originReadTimeoutSeconds',
    e.originReadTimeoutSeconds,
    'expected a whole number of seconds from 1 to 60',
  );
  const patterns = e.writePathPatterns;
  if (!Array.isArray(patterns)) {
    issues.add('edge.writePathPatterns', patterns, 'expected a list of CloudFront path patterns (may be empty)');
  } else {
    patterns.forEach((pattern, i) =>
      issues.check(
        typeof pattern === 'string' &&
          /^\/[A-Za-z0-9_\-.*$/~"'@:+&?=!]{0,254}$/.test(pattern) &&
          patterns.indexOf(pattern) === i,
        `edge.writePathPatterns[${i}]`,
        pattern,
        'expected a distinct CloudFront path pattern starting with "/", e.g. "/api/*"',
      ),
    );
  }
  issues.check(
    PRICE_CLASSES.includes(e.priceClass as never),
    'edge.priceClass',
    e.priceClass,
    `expected one of ${PRICE_CLASSES.join(', ')}`,
  );
  const geo = e.geoRestriction as { type?: string; countries?: unknown } | undefined;
  if (geo?.type === 'whitelist' || geo?.type === 'blacklist') {
    const countries = geo.countries;
    issues.check(
      Array.isArray(countries) &&
        countries.length > 0 &&
        countries.every((c) => typeof c === 'string' && COUNTRY_RE.test(c)),
      'edge.geoRestriction.countries',
      countries,
      'expected a non-empty list of ISO 3166 alpha-2 country codes',
    );
  } else if (geo?.type !== 'none') {
    issues.add(
      'edge.geoRestriction',
      geo,
      'expected { type: "none" } or { type: "whitelist" | "blacklist", countries: ["DE", ...] }',
    );
  }
  issues.check(
    isInt(e.hstsMaxAgeSeconds) && e.hstsMaxAgeSeconds >= MIN_HSTS_MAX_AGE_SECONDS,
    'edge.hstsMaxAgeSeconds',
    e.hstsMaxAgeSeconds,
    `expected at least ${MIN_HSTS_MAX_AGE_SECONDS} (one year)`,
  );
  issues.check(
    isIntIn(e.wafRateLimitPer5Minutes, 10, 2_000_000_000),
    'edge.wafRateLimitPer5Minutes',
    e.wafRateLimitPer5Minutes,
    'expected a whole number from 10 to 2000000000',
  );
  checkLogRetention(issues, 'edge.logRetentionDays', e.logRetentionDays);
  const verify = e.originVerify as Partial<OriginVerifySettings> | undefined;
  if (verify !== undefined) {
    issues.check(
      isIntIn(verify.version, 1, 1_000_000),
      'edge.originVerify.version',
      verify.version,
      'expected a whole number from 1 to 1000000 (bump it to rotate the origin secret)',
    );
    issues.check(
      verify.acceptPrevious === false ||
        (verify.acceptPrevious === true && isInt(verify.version) && verify.version >= 2),
      'edge.originVerify.acceptPrevious',
      verify.acceptPrevious,
      'expected true or false; true only from version 2 on (version 1 has no previous value to accept)',
    );
  }
}
