import { ConfigError, IssueCollector } from '../../src/config/errors';
import type { MaintenanceSettings } from '../../src/config/data-types';
import type { PlatformConfig } from '../../src/config/types';
import { failoverBudgets } from '../../src/plan/budget';
import { firstFreeWindow, toUtcWindow } from '../../src/plan/maintenance';
import { Naming } from '../../src/plan/naming';
import { distanceKm, placeMaintenance } from '../../src/plan/placement';
import { loadPlan, resolvePlan } from '../../src/plan/resolve';
import { threeRegions, variant } from '../support/config';

// The plan's smaller decisions at their edges: maintenance placement when the week is full or a
// region's offset is unknown, the first free window never wrapping past local midnight, names of
// Terraform Cloud workspaces and state keys, distances of unknown regions, the tools' plan entry.

const window = (day: MaintenanceSettings['day'], localStart: string, durationHours: number): MaintenanceSettings => ({
  day,
  localStart,
  durationHours,
});

/** A configuration of just what placeMaintenance reads: regions (all in UTC+0) and the default window. */
function maintenanceConfig(overrides: (MaintenanceSettings | undefined)[], code = 'eu-west-1'): PlatformConfig {
  return {
    defaults: { maintenance: window('sun', '02:00', 8) },
    regions: overrides.map((maintenance, i) => ({
      key: `r${i}`,
      code,
      ...(maintenance ? { overrides: { maintenance } } : {}),
    })),
  } as unknown as PlatformConfig;
}

describe('maintenance placement', () => {
  test('a region with no free slot left in the week is named, with what to change', () => {
    // 21 regions hold every 8-hour slot of the week; the 22nd has none.
    const week = (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const).flatMap((day) =>
      ['00:00', '08:00', '16:00'].map((start) => window(day, start, 8)),
    );
    const issues = new IssueCollector();
    const placed = placeMaintenance(maintenanceConfig([...week, undefined]), issues);
    expect(issues.issues).toEqual([
      {
        path: 'regions[21].overrides.maintenance',
        value: undefined,
        expected:
          "expected a window: no 8-hour slot in the week is free of the other regions' windows; shorten defaults.maintenance.durationHours",
      },
    ]);
    expect(placed.size).toBe(21);
    expect(placed.has('r21')).toBe(false);
  });

  test('a region code the catalog does not know is placed as if at UTC', () => {
    const issues = new IssueCollector();
    const placed = placeMaintenance(maintenanceConfig([undefined], 'mars-1'), issues);
    expect(issues.issues).toEqual([]);
    expect(placed.get('r0')!.utc).toEqual(toUtcWindow(window('sun', '02:00', 8), 0));
  });

  test('the first free window moves to the next day rather than past local midnight', () => {
    // Sunday 20:00-24:00 is taken: 20:00 to 23:00 overlap it, and a start at 00:00 would be Monday.
    const taken = [toUtcWindow(window('sun', '20:00', 4), 0)];
    expect(firstFreeWindow(window('sun', '20:00', 1), 0, taken)).toEqual(window('mon', '20:00', 1));
  });
});

describe('names', () => {
  const naming = new Naming(threeRegions);

  test('a Terraform Cloud workspace per stack, and a state key per stack', () => {
    expect(naming.workspace('region-us-east')).toBe(
      `${threeRegions.project}-${threeRegions.environment}-region-us-east`,
    );
    expect(naming.stateKey('dns')).toBe(`${threeRegions.environment}/dns.tfstate`);
  });
});

test('distances need both regions in the catalog; the unknown one is named', () => {
  expect(() => distanceKm('mars-1', 'us-east-1')).toThrow(/^no coordinates for mars-1$/);
  expect(() => distanceKm('us-east-1', 'venus-2')).toThrow(/^no coordinates for venus-2$/);
});

test('the CloudFront budget names what it serves', () => {
  expect(failoverBudgets(threeRegions).map((b) => [b.path, b.serves])).toEqual([
    ['dns', 'api, api-latency, api-geo, api-weighted, edge write paths'],
    ['cloudfront', 'edge origin group (reads, per request)'],
  ]);
});

test('loadPlan resolves the environment PLATFORM_ENV names', () => {
  expect(loadPlan({ PLATFORM_ENV: 'staging' }).environment).toBe('staging');
  expect(loadPlan({ PLATFORM_ENV: 'production' }).environment).toBe('production');
});

describe('resolvePlan', () => {
  test('a region list that is not a list is a ConfigError, not a crash of the placement', () => {
    for (const regions of ['us-east-1', undefined]) {
      const config = { ...threeRegions, regions } as unknown as PlatformConfig;
      expect(() => resolvePlan(config)).toThrow(ConfigError);
    }
  });

  test('the origin verify secret: default rotation state unless edge.originVerify sets one', () => {
    expect(resolvePlan(threeRegions).traffic.originVerify).toEqual({
      version: 1,
      acceptPrevious: false,
      secretName: `${threeRegions.project}-${threeRegions.environment}-origin-verify`,
      headerName: 'x-origin-verify',
    });
    const rotated = variant((c) => {
      c.edge.originVerify = { version: 3, acceptPrevious: true };
    }, threeRegions);
    expect(resolvePlan(rotated).traffic.originVerify).toEqual({
      version: 3,
      acceptPrevious: true,
      secretName: `${threeRegions.project}-${threeRegions.environment}-origin-verify`,
      headerName: 'x-origin-verify',
    });
  });

  test('the geo default record routes to the api-latency record, not to a region', () => {
    const geoDefault = resolvePlan(threeRegions).traffic.records.find((r) => r.id === 'api-geo-default');
    expect(geoDefault?.target).toEqual({ kind: 'record', label: 'api-latency' });
  });
});
