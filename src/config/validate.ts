import { REGION_CATALOG, regionFacts } from './catalog';
import { cidrOverlaps, isPrivateCidr, parseCidr, type Ipv4Cidr } from '../../modules/common/cidr';
import { IssueCollector } from './errors';
import { CONFIG_CHECKS, REGIONAL_SECTIONS } from './sections';
import { isInt } from './sections/util';
import {
  BOOTSTRAP_BACKENDS,
  REGION_ROLES,
  type PlatformConfig,
  type RegionConfig,
  type RegionalSettings,
} from './types';

export const MIN_AZS = 2;
export const MAX_AZS = 6;
export const MIN_VPC_PREFIX = 16;
/** Private subnets are 1/16 of the VPC: a /20 VPC still gives each AZ a /24 for nodes and pods. */
export const MAX_VPC_PREFIX = 20;
export const MIN_REGIONS = 2;

/** Tag keys owned by the tagging aspect; config cannot redefine them. */
export const MANAGED_TAG_KEYS = ['environment', 'region', 'component', 'managed-by', 'project'] as const;

const NAME_RE = /^[a-z][a-z0-9-]{0,14}[a-z0-9]$/;
const DOMAIN_LABEL_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const TABLE_RE = /^[A-Za-z0-9_.-]{3,255}$/;
const KMS_ALIAS_RE = /^alias\/[A-Za-z0-9/_-]{1,250}$/;
const ACCOUNT_RE = /^\d{12}$/;

const NAME_RULE = '2-16 characters: lowercase letters, digits and hyphens, starting with a letter';

function isDomain(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 253) return false;
  const labels = value.split('.');
  return (
    labels.length >= 2 &&
    labels.every((l) => DOMAIN_LABEL_RE.test(l)) &&
    /^[a-z]{2,63}$/.test(labels[labels.length - 1])
  );
}

/**
 * Validates the shape and values of the configuration and throws a ConfigError listing every
 * problem. What only the plan can decide (maintenance placement, cache membership, the failover
 * budget) is checked by `resolvePlan` (src/plan/resolve.ts), which reports both kinds together.
 */
export function validateConfig(config: PlatformConfig): void {
  const issues = new IssueCollector();
  checkConfig(config, issues);
  issues.throwIfAny();
}

/** Adds every problem of `config` to `issues`. */
export function checkConfig(config: PlatformConfig, issues: IssueCollector): void {
  issues.check(
    typeof config.project === 'string' && NAME_RE.test(config.project),
    'project',
    config.project,
    `expected ${NAME_RULE}`,
  );
  issues.check(
    typeof config.environment === 'string' && NAME_RE.test(config.environment),
    'environment',
    config.environment,
    `expected ${NAME_RULE}`,
  );
  issues.check(
    isDomain(config.domainName),
    'domainName',
    config.domainName,
    'expected a lowercase DNS name with at least two labels, e.g. "example.org"',
  );
  if (config.accountId !== undefined) {
    issues.check(
      ACCOUNT_RE.test(config.accountId),
      'accountId',
      config.accountId,
      'expected a 12-digit AWS account id',
    );
  }
  validateRegions(config, issues);
  validateState(config, issues);
  validateTags(config.tags, issues);
  // The checks below walk the region list: without one, report what is known so far.
  if (!Array.isArray(config.regions)) return;
  validateRegionalSettings(config, issues);
  for (const check of CONFIG_CHECKS) check(config, issues);
}

function validateRegions(config: PlatformConfig, issues: IssueCollector): void {
  const regions = config.regions;
  if (!Array.isArray(regions) || regions.length < MIN_REGIONS) {
    issues.add('regions', regions, `expected at least ${MIN_REGIONS} regions for an active-active platform`);
    return;
  }
  const keys = new Map<string, number>();
  const codes = new Map<string, number>();
  const cidrs: { index: number; cidr: Ipv4Cidr; text: string }[] = [];

  regions.forEach((region: RegionConfig, i) => {
    const at = `regions[${i}]`;
    if (
      issues.check(
        typeof region.key === 'string' && NAME_RE.test(region.key),
        `${at}.key`,
        region.key,
        `expected ${NAME_RULE}`,
      )
    ) {
      const first = keys.get(region.key);
      if (first !== undefined) {
        issues.add(`${at}.key`, region.key, `expected a unique key; regions[${first}] already uses it`);
      } else keys.set(region.key, i);
    }
    const facts = regionFacts(region.code);
    if (
      issues.check(
        facts !== undefined,
        `${at}.code`,
        region.code,
        `expected a known AWS region code (${Object.keys(REGION_CATALOG).join(', ')})`,
      )
    ) {
      const first = codes.get(region.code);
      if (first !== undefined) {
        issues.add(`${at}.code`, region.code, `expected each AWS region once; regions[${first}] already uses it`);
      } else codes.set(region.code, i);
    }
    issues.check(
      REGION_ROLES.includes(region.role),
      `${at}.role`,
      region.role,
      `expected one of ${REGION_ROLES.join(', ')}`,
    );

    const maxAzs = Math.min(MAX_AZS, facts?.maxAzs ?? MAX_AZS);
    if (!isInt(region.azCount) || region.azCount < MIN_AZS || region.azCount > MAX_AZS) {
      issues.add(`${at}.azCount`, region.azCount, `expected an integer from ${MIN_AZS} to ${MAX_AZS}`);
    } else if (region.azCount > maxAzs) {
      issues.add(
        `${at}.azCount`,
        region.azCount,
        `expected at most ${maxAzs}: ${region.code} offers ${maxAzs} usable availability zones`,
      );
    }

    const cidr = typeof region.vpcCidr === 'string' ? parseCidr(region.vpcCidr) : undefined;
    if (!cidr) {
      issues.add(`${at}.vpcCidr`, region.vpcCidr, 'expected an IPv4 CIDR aligned to its prefix, e.g. "10.10.0.0/16"');
    } else if (cidr.prefix < MIN_VPC_PREFIX || cidr.prefix > MAX_VPC_PREFIX) {
      issues.add(
        `${at}.vpcCidr`,
        region.vpcCidr,
        `expected a /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} block: each AZ gets a private subnet of 1/16 and public and data subnets of 1/32 of the VPC`,
      );
    } else if (!isPrivateCidr(cidr)) {
      issues.add(
        `${at}.vpcCidr`,
        region.vpcCidr,
        'expected a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16',
      );
    } else {
      const clash = cidrs.find((c) => cidrOverlaps(c.cidr, cidr));
      if (clash) {
        issues.add(
          `${at}.vpcCidr`,
          region.vpcCidr,
          `expected a range disjoint from every other region; overlaps regions[${clash.index}].vpcCidr ${clash.text}`,
        );
      } else cidrs.push({ index: i, cidr, text: region.vpcCidr });
    }
  });

  const primaries = regions.map((r, i) => ({ r, i })).filter(({ r }) => r.role === 'primary');
  if (primaries.length !== 1) {
    issues.add(
      'regions[*].role',
      primaries.map(({ r }) => r.key),
      `expected exactly one region with role "primary", found ${primaries.length}`,
    );
  }
}

function validateState(config: PlatformConfig, issues: IssueCollector): void {
  const s = config.state;
  if (!s || typeof s !== 'object') {
    issues.add('state', s, 'expected the state backend settings');
    return;
  }
  const bucketRule =
    'expected an S3 bucket name: 3-63 lowercase letters, digits and hyphens (no dots: they break TLS on virtual-hosted requests)';
  issues.check(typeof s.bucket === 'string' && BUCKET_RE.test(s.bucket), 'state.bucket', s.bucket, bucketRule);
  issues.check(
    typeof s.replicaBucket === 'string' && BUCKET_RE.test(s.replicaBucket),
    'state.replicaBucket',
    s.replicaBucket,
    bucketRule,
  );
  issues.check(
    s.replicaBucket !== s.bucket,
    'state.replicaBucket',
    s.replicaBucket,
    'expected a name different from state.bucket',
  );
  const known = `expected a known AWS region code (${Object.keys(REGION_CATALOG).join(', ')})`;
  issues.check(regionFacts(s.region) !== undefined, 'state.region', s.region, known);
  if (issues.check(regionFacts(s.replicaRegion) !== undefined, 'state.replicaRegion', s.replicaRegion, known)) {
    issues.check(
      s.replicaRegion !== s.region,
      'state.replicaRegion',
      s.replicaRegion,
      'expected a region other than state.region, so state survives the loss of that region',
    );
  }
  issues.check(
    typeof s.lockTable === 'string' && TABLE_RE.test(s.lockTable),
    'state.lockTable',
    s.lockTable,
    'expected a DynamoDB table name: 3-255 of A-Z a-z 0-9 _ . -',
  );
  issues.check(
    typeof s.kmsKeyAlias === 'string' && KMS_ALIAS_RE.test(s.kmsKeyAlias) && !s.kmsKeyAlias.startsWith('alias/aws/'),
    'state.kmsKeyAlias',
    s.kmsKeyAlias,
    'expected "alias/<name>" (not an AWS-managed alias/aws/... name)',
  );
  issues.check(
    BOOTSTRAP_BACKENDS.includes(s.bootstrapBackend),
    'state.bootstrapBackend',
    s.bootstrapBackend,
    `expected one of ${BOOTSTRAP_BACKENDS.join(', ')}`,
  );
  issues.check(
    isInt(s.noncurrentVersionExpirationDays) && s.noncurrentVersionExpirationDays >= 1,
    'state.noncurrentVersionExpirationDays',
    s.noncurrentVersionExpirationDays,
    'expected a whole number of days, at least 1',
  );
}

function validateTags(tags: Readonly<Record<string, string>>, issues: IssueCollector): void {
  if (tags === null || typeof tags !== 'object') {
    issues.add('tags', tags, 'expected a map of tag keys to values');
    return;
  }
  for (const [key, value] of Object.entries(tags)) {
    const at = `tags.${key}`;
    if ((MANAGED_TAG_KEYS as readonly string[]).includes(key)) {
      issues.add(at, value, `expected no "${key}" tag: the tagging aspect sets it (${MANAGED_TAG_KEYS.join(', ')})`);
    } else if (key.length < 1 || key.length > 128 || key.toLowerCase().startsWith('aws:')) {
      issues.add(at, key, 'expected a key of 1-128 characters not starting with "aws:"');
    } else {
      issues.check(
        typeof value === 'string' && value.length <= 256,
        at,
        value,
        'expected a string of at most 256 characters',
      );
    }
  }
}

/**
 * Validates each section of `defaults` completely and each region's overrides field by field.
 * Sections register their validator in ./sections.
 */
function validateRegionalSettings(config: PlatformConfig, issues: IssueCollector): void {
  const defaults = (config.defaults ?? {}) as Partial<RegionalSettings>;
  for (const [section, validate] of Object.entries(REGIONAL_SECTIONS)) {
    const name = section as keyof RegionalSettings;
    validate((defaults[name] ?? {}) as never, `defaults.${name}`, issues, true);
    (config.regions ?? []).forEach((region, i) => {
      const override = region.overrides?.[name];
      if (override !== undefined) validate(override as never, `regions[${i}].overrides.${name}`, issues, false);
    });
  }
  (config.regions ?? []).forEach((region, i) => {
    for (const section of Object.keys(region.overrides ?? {})) {
      issues.check(
        section in REGIONAL_SECTIONS,
        `regions[${i}].overrides.${section}`,
        section,
        `expected one of ${Object.keys(REGIONAL_SECTIONS).join(', ')}`,
      );
    }
  });
}
