/**
 * Properties of `resolvePlan` over generated configurations of 1 to 6 regions (fast-check).
 *
 * Every property uses the same arbitrary and the same per-run seed, so they see the same generated
 * configurations and each configuration is resolved once (`planFor` memoizes): 100 runs per property
 * for the price of ~100 plans. The seed changes every run; fast-check prints it on failure
 * (reproduce with `{ seed, path }` in RUN).
 *
 * Each property names, in a comment, mutations of src/plan (or src/config) it catches; those named
 * were checked by applying each to a scratch copy of src: the property failed, the others passed.
 */
import fc from 'fast-check';
import { REGION_CATALOG } from '../../src/config/catalog';
import { ConfigError } from '../../src/config/errors';
import { production } from '../../src/config/environments/production';
import { RESERVED_REGION_KEYS } from '../../src/config/traffic-types';
import type { PlatformConfig, RegionConfig } from '../../src/config/types';
import { WEEK_MINUTES, windowsOverlap, type UtcWindow } from '../../src/plan/maintenance';
import { distanceKm } from '../../src/plan/placement';
import { resolvePlan } from '../../src/plan/resolve';
import type { PlatformPlan, RegionNames, RegionPlan } from '../../src/plan/types';

const SEED = Date.now() ^ Math.floor(Math.random() * 0x7fffffff);
const RUN = { numRuns: 100, seed: SEED } as const;

/** Catalog regions that take the default three-AZ shape. */
const CANDIDATES = Object.entries(REGION_CATALOG)
  .filter(([, facts]) => facts.maxAzs >= 3)
  .map(([code]) => code);
/** `us-east-1` -> `us-east1` (the key scheme of withExtraRegions). */
const keyOf = (code: string) => code.replace(/-(\d+)$/, '$1');
const KEY_RE = /^[a-z][a-z0-9-]{0,14}[a-z0-9]$/;
const GEO_KEYS = [
  'continent:NA',
  'continent:SA',
  'continent:EU',
  'continent:AF',
  'continent:AS',
  'continent:OC',
  'country:JP',
];

/** What the arbitrary varies; everything else is production's. */
interface Spec {
  readonly codes: readonly string[];
  /** Index of the primary region. */
  readonly primary: number;
  /** Per region: `joinGlobalDatastore: false` (ignored on the primary). */
  readonly noJoin: readonly boolean[];
  /** Per region: its `traffic.weights` entry, or none. */
  readonly weights: readonly (number | undefined)[];
  /** `traffic.geoRouting` as [geo key, region index] pairs (empty: `{}`). */
  readonly geo: readonly (readonly [string, number])[];
  /** Index of the DR region among the non-primary regions. */
  readonly dr: number;
}

function specArb(minRegions: number, maxRegions: number): fc.Arbitrary<Spec> {
  return fc.shuffledSubarray(CANDIDATES, { minLength: minRegions, maxLength: maxRegions }).chain((codes) => {
    const n = codes.length;
    const perRegion = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: n, maxLength: n });
    return fc.record({
      codes: fc.constant(codes),
      primary: fc.nat({ max: n - 1 }),
      noJoin: perRegion(fc.boolean()),
      // Unlisted regions and zeros are frequent, so that means rounding below 1 occur.
      weights: perRegion(
        fc.option(
          fc.oneof(
            { arbitrary: fc.constant(0), weight: 3 },
            { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 2 },
          ),
          { nil: undefined, freq: 3 },
        ),
      ),
      geo: fc.oneof(
        fc.constant([] as [string, number][]),
        fc.uniqueArray(fc.tuple(fc.constantFrom(...GEO_KEYS), fc.nat({ max: n - 1 })), {
          maxLength: 4,
          selector: ([key]) => key,
        }),
      ),
      dr: fc.nat({ max: Math.max(0, n - 2) }),
    });
  });
}

const keysOf = (spec: Spec) => spec.codes.map(keyOf);

function configOf(spec: Spec): PlatformConfig {
  const keys = keysOf(spec);
  const regions: RegionConfig[] = spec.codes.map((code, i) => ({
    key: keys[i],
    code,
    role: i === spec.primary ? 'primary' : 'secondary',
    vpcCidr: `10.${i * 10 + 10}.0.0/16`,
    azCount: 3,
    ...(spec.noJoin[i] && i !== spec.primary ? { overrides: { elasticache: { joinGlobalDatastore: false } } } : {}),
  }));
  const weights: Record<string, number> = {};
  spec.weights.forEach((w, i) => {
    if (w !== undefined) weights[keys[i]] = w;
  });
  // Validation asks for one weight above 0; give it to the primary when the draw has none.
  if (!Object.values(weights).some((w) => w > 0)) weights[keys[spec.primary]] = 1;
  const others = keys.filter((_, i) => i !== spec.primary);
  return {
    ...structuredClone(production),
    regions,
    traffic: {
      ...structuredClone(production.traffic),
      geoRouting: Object.fromEntries(spec.geo.map(([geo, i]) => [geo, keys[i]])),
      weights,
      drRegion: others[spec.dr] ?? keys[spec.primary],
    },
  };
}

const cache = new Map<string, { spec: Spec; config: PlatformConfig; plan: PlatformPlan }>();
/** The plan of `spec` (memoized across properties); a failure when it does not resolve. */
function planFor(spec: Spec): { config: PlatformConfig; plan: PlatformPlan } {
  const id = JSON.stringify(spec);
  let hit = cache.get(id);
  if (!hit) {
    const config = configOf(spec);
    hit = { spec, config, plan: resolvePlan(config) };
    cache.set(id, hit);
  }
  return hit;
}

const regions = specArb(2, 6);
/** A global datastore spans the primary and at most two secondaries (AWS), not a setting of the code under test. */
const AWS_MAX_SECONDARIES = 2;
/** Overlap computed without src: the week unrolled, `b` shifted a week either way. */
const overlapsUnrolled = (a: UtcWindow, b: UtcWindow) =>
  [-WEEK_MINUTES, 0, WEEK_MINUTES].some(
    (shift) => a.start < b.start + shift + b.minutes && b.start + shift < a.start + a.minutes,
  );
const isMember = (r: RegionPlan) => r.cache.role !== 'reader';
/** A plain assertion: `expect` is too slow for the inner loops of 100 runs. */
function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}
const sameSet = (a: readonly string[], b: readonly string[]) => {
  const set = new Set(b);
  return a.every((x) => set.has(x)) && new Set(a).size === set.size;
};
const allNames = (n: RegionNames) =>
  Object.values(n).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v as Record<string, string>)));

test('generated region keys are valid, unreserved and not Object.prototype members', () => {
  for (const code of CANDIDATES) {
    const key = keyOf(code);
    expect(key).toMatch(KEY_RE);
    expect(RESERVED_REGION_KEYS).not.toContain(key);
    expect(key in Object.prototype).toBe(false);
  }
  expect(CANDIDATES.length).toBeGreaterThanOrEqual(6);
});

// Catches: MIN_REGIONS lowered to 1, or the region-count check dropped in validateRegions.
test('one region: a ConfigError at `regions`', () => {
  fc.assert(
    fc.property(specArb(1, 1), (spec) => {
      let error: unknown;
      try {
        resolvePlan(configOf(spec));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.path)).toContain('regions');
    }),
    RUN,
  );
});

// Catches: any validation or plan check that refuses a valid topology (e.g. staggering that gives
// up, a cache limit counted over readers), and isPrimary/primary taken from index 0 instead of the
// role (the primary is drawn at a random index).
test('2 to 6 regions resolve, with exactly the configured primary', () => {
  fc.assert(
    fc.property(regions, (spec) => {
      const { plan } = planFor(spec);
      const primaryKey = keysOf(spec)[spec.primary];
      expect(plan.regions.map((r) => r.key)).toEqual(keysOf(spec));
      expect(plan.regions.filter((r) => r.isPrimary).map((r) => r.key)).toEqual([primaryKey]);
      expect(plan.regions.filter((r) => r.role === 'primary').map((r) => r.key)).toEqual([primaryKey]);
      expect(plan.regions.filter((r) => r.aurora.role === 'primary').map((r) => r.key)).toEqual([primaryKey]);
      expect(plan.primary.key).toBe(primaryKey);
    }),
    RUN,
  );
});

// Catches: firstFreeWindow not checking `taken`, placeMaintenance not pushing automatic regions
// into `taken` (two regions with the same UTC offset, e.g. eu-west-1 and eu-west-2, then collide),
// or windowsOverlap ignoring the week wrap (sat 22:00-sun 02:00 vs sun 01:00: the independent
// unrolled check still sees it).
test('no two regions are maintained at once', () => {
  fc.assert(
    fc.property(regions, (spec) => {
      const { plan, config } = planFor(spec);
      const wanted = config.defaults.maintenance;
      plan.regions.forEach((a, i) => {
        const m = a.maintenance;
        for (const b of plan.regions.slice(i + 1)) {
          check(
            !windowsOverlap(m.utc, b.maintenance.utc) && !overlapsUnrolled(m.utc, b.maintenance.utc),
            `${a.key} ${m.maintenanceWindow} overlaps ${b.key} ${b.maintenance.maintenanceWindow}`,
          );
        }
        check(m.utc.minutes === wanted.durationHours * 60, `${a.key} lasts ${m.utc.minutes} minutes`);
        const asWanted = m.local.day === wanted.day && m.local.localStart === wanted.localStart;
        check(asWanted === (m.source === 'default'), `${a.key} ${JSON.stringify(m.local)} is ${m.source}`);
        check(a.settings.maintenance === m.local, `${a.key} settings.maintenance is not the chosen window`);
      });
    }),
    RUN,
  );
});

// Catches: MAX_DATASTORE_SECONDARIES raised (4 members), joinGlobalDatastore false ignored,
// secondaries not in config order, readers reading the farthest member (sort reversed) or a
// reader, and readsFrom left empty.
test('cache: at most 3 members, one primary, readers read their nearest member', () => {
  fc.assert(
    fc.property(regions, (spec) => {
      const { plan } = planFor(spec);
      const keys = keysOf(spec);
      const members = plan.regions.filter(isMember);
      check(members.length <= 1 + AWS_MAX_SECONDARIES, `${members.length} members`);
      const primaries = plan.regions.filter((r) => r.cache.role === 'primary').map((r) => r.key);
      check(primaries.join() === keys[spec.primary], `cache primaries ${primaries.join(', ')}`);
      // Secondaries: the first two non-primary regions (config order) that do not opt out.
      const joining = keys.filter((_, i) => i !== spec.primary && !spec.noJoin[i]);
      const secondaries = plan.regions.filter((r) => r.cache.role === 'secondary').map((r) => r.key);
      check(
        secondaries.join() === joining.slice(0, AWS_MAX_SECONDARIES).join(),
        `secondaries ${secondaries.join(', ')} of joining ${joining.join(', ')}`,
      );
      for (const r of plan.regions) {
        if (isMember(r)) {
          check(r.cache.readsFrom === r.key, `member ${r.key} reads ${r.cache.readsFrom}`);
          continue;
        }
        const source = members.find((m) => m.key === r.cache.readsFrom);
        check(source !== undefined, `reader ${r.key} reads ${r.cache.readsFrom}, not a member`);
        const nearest = Math.min(...members.map((m) => distanceKm(r.code, m.code)));
        check(
          distanceKm(r.code, source!.code) === nearest,
          `reader ${r.key} reads ${source!.key}, not its nearest member (${Math.round(nearest)} km)`,
        );
      }
    }),
    RUN,
  );
});

// Catches: a name built without the region key (e.g. from the code's area `us`, shared by
// us-east-1 and us-east-2, or from the primary's key), and a region key dropped from a name.
test('no name of one region is a name of another region', () => {
  fc.assert(
    fc.property(regions, (spec) => {
      const { plan } = planFor(spec);
      const owner = new Map<string, string>();
      for (const r of plan.regions) {
        for (const name of allNames(r.names)) {
          if (name === '') continue;
          const other = owner.get(name);
          check(other === undefined || other === r.key, `${name} belongs to ${other} and ${r.key}`);
          owner.set(name, r.key);
        }
        // Only a reader has no replication group.
        check((r.names.cacheReplicationGroup === '') === (r.cache.role === 'reader'), `${r.key} replication group`);
      }
    }),
    RUN,
  );
});

// Catches: a stack id missing or repeated, global before a region stack, workloads before data,
// and data stacks in config order instead of primary first (the primary is at a random index).
test('applyOrder is a permutation of the stack ids in dependency order', () => {
  fc.assert(
    fc.property(regions, (spec) => {
      const { plan } = planFor(spec);
      const order = plan.applyOrder;
      const ids = [
        plan.stackIds.bootstrap,
        plan.stackIds.dns,
        plan.stackIds.global,
        ...plan.regions.flatMap((r) => [r.stackIds.regional, r.stackIds.data, r.stackIds.workloads]),
      ];
      check(
        order.length === ids.length && new Set(order).size === order.length && sameSet(order, ids),
        `${order.join(', ')} is not a permutation of ${ids.join(', ')}`,
      );
      const before = (a: string, b: string) =>
        check(order.indexOf(a) < order.indexOf(b), `${a} after ${b} in ${order.join(', ')}`);
      check(order[0] === plan.stackIds.bootstrap, `${order[0]} first`);
      for (const r of plan.regions) {
        before(plan.stackIds.dns, r.stackIds.regional);
        before(r.stackIds.regional, plan.stackIds.global);
        before(plan.stackIds.global, r.stackIds.data);
        before(r.stackIds.data, r.stackIds.workloads);
        if (!r.isPrimary) before(plan.primary.stackIds.data, r.stackIds.data);
      }
    }),
    RUN,
  );
});

// Catches: the Aurora writer or cache primary path pointing at the region itself instead of the
// primary, cache reads ignoring readsFrom (a reader would read a region without a member), and
// MirrorMaker reading a region outside the plan or missing a peer.
test('data paths: every target is a region, writes go to the primary (MSK: to the own cluster)', () => {
  fc.assert(
    fc.property(regions, (spec) => {
      const { plan } = planFor(spec);
      const keys = new Set(plan.regions.map((r) => r.key));
      for (const p of plan.dataPaths) {
        const show = JSON.stringify(p);
        check(keys.has(p.to) && keys.has(p.from), `${show} leaves the plan's regions`);
        if (p.access === 'write') {
          const target = p.store === 'msk' ? p.from : plan.primary.key;
          check(p.to === target, `${show} writes to ${p.to}, expected ${target}`);
        }
      }
      for (const r of plan.regions) {
        const from = plan.dataPaths.filter((p) => p.from === r.key);
        const cacheReads = from.filter((p) => p.endpoint === 'cache-reader').map((p) => p.to);
        check(
          cacheReads.length === 1 && cacheReads[0] === r.cache.readsFrom,
          `${r.key} reads the cache in ${cacheReads.join(', ')}, expected ${r.cache.readsFrom}`,
        );
        const pulls = from.filter((p) => p.client === 'mirrormaker2' && p.access === 'read').map((p) => p.to);
        check(
          sameSet(
            pulls,
            r.peers.map((peer) => peer.key),
          ) && pulls.length === r.peers.length,
          `${r.key} MirrorMaker pulls from ${pulls.join(', ')}, expected every peer`,
        );
        check(from.length === 5 + plan.regions.length, `${r.key} has ${from.length} paths`);
      }
    }),
    RUN,
  );
});

// Catches: the `Math.max(1, ...)` floor dropped (listed weights 0, 0, 1 give a mean of 0), the
// mean taken over every region instead of the listed ones, and configured weights overwritten.
test('weights: configured ones kept, unlisted regions get the rounded mean, at least 1', () => {
  fc.assert(
    fc.property(regions, (spec) => {
      const { plan, config } = planFor(spec);
      const configured = config.traffic.weights;
      const listed = Object.values(configured);
      const share = Math.max(1, Math.round(listed.reduce((a, b) => a + b, 0) / listed.length));
      const got = plan.traffic.weights;
      check(got.map((w) => w.region).join() === keysOf(spec).join(), `weights of ${got.map((w) => w.region).join()}`);
      for (const w of got) {
        const expected = Object.hasOwn(configured, w.region)
          ? { weight: configured[w.region], source: 'config' }
          : { weight: share, source: 'share' };
        check(
          w.weight === expected.weight && w.source === expected.source && w.weight >= (w.source === 'share' ? 1 : 0),
          `${JSON.stringify(w)} of ${JSON.stringify(configured)}, expected ${JSON.stringify(expected)}`,
        );
      }
    }),
    RUN,
  );
});

// Catches: the primary's explicit opt-out accepted (placeCacheMembers' check on the primary removed).
test('joinGlobalDatastore false on the primary is always refused at its field', () => {
  fc.assert(
    fc.property(regions, (spec) => {
      const config = configOf(spec);
      const broken: PlatformConfig = {
        ...config,
        regions: config.regions.map((r, i) =>
          i === spec.primary ? { ...r, overrides: { elasticache: { joinGlobalDatastore: false } } } : r,
        ),
      };
      let error: unknown;
      try {
        resolvePlan(broken);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
        `regions[${spec.primary}].overrides.elasticache.joinGlobalDatastore`,
      ]);
    }),
    { ...RUN, numRuns: 30 },
  );
});
