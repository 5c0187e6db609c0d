import { checkConfig } from '../../src/config/validate';
import { IssueCollector, type ConfigIssue } from '../../src/config/errors';
import type { ConfigCheck } from '../../src/config/sections';
import { validateDataConfig } from '../../src/config/sections/data';
import { validateDelivery } from '../../src/config/sections/delivery';
import { validateObservability } from '../../src/config/sections/observability';
import { validateSecurity } from '../../src/config/sections/security';
import { validateStateMode } from '../../src/config/sections/state-mode';
import { validateStreaming } from '../../src/config/sections/streaming';
import { checkTraffic } from '../../src/config/sections/traffic';
import { validateWorkloads } from '../../src/config/sections/workloads';
import type { PlatformConfig } from '../../src/config/types';
import { type Mutable, threeRegions, variant } from './config';

/** A change to a deep copy of a fixture configuration. */
export type Change = (c: Mutable<PlatformConfig>) => void;

/**
 * The whole-configuration check that owns a path. Running only that one keeps each case fast and
 * its coverage to the code it tests (mutation testing reruns every test that ran a mutant's code);
 * other paths (regions, defaults, overrides) run all of checkConfig.
 */
const OWNERS: readonly [RegExp, ConfigCheck][] = [
  [/^data(\.|$)/, validateDataConfig],
  [/^security(\.|$)/, validateSecurity],
  [/^streaming(\.|$)/, validateStreaming],
  [/^state\.(mode|use|terraformCloud)(\.|$)/, validateStateMode],
  [/^(traffic|edge|recovery)(\.|$)/, checkTraffic],
  [/^observability(\.|$)/, validateObservability],
  [/^workloads(\.|$)/, validateWorkloads],
  [/^delivery(\.|$)/, validateDelivery],
];

/** The shape issues of the three-region fixture changed by `change`, at `path` exactly. */
export function issuesAt(change: Change, path: string): ConfigIssue[] {
  const issues = new IssueCollector();
  const config = variant(change, threeRegions);
  const owner = OWNERS.find(([re]) => re.test(path))?.[1];
  if (owner) owner(config, issues);
  else checkConfig(config, issues);
  return issues.issues.filter((i) => i.path === path);
}

/** Sets the field at a dotted path (every object on the way exists in the fixture). */
export const set =
  (path: string, value: unknown): Change =>
  (c) => {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce((o: Record<string, unknown>, k) => o[k] as Record<string, unknown>, c);
    parent[keys[keys.length - 1]] = value;
  };

/** A field's last accepted and first refused values, and what its issue says is allowed. */
export interface FieldCase {
  readonly path: string;
  readonly ok: readonly unknown[];
  readonly bad: readonly unknown[];
  readonly expected: string;
}

/** Two tests per field: each refused value is one exact issue at the path; accepted values none. */
export function testFields(fields: readonly FieldCase[]): void {
  describe.each(fields.map((c) => [c.path, c] as const))('%s', (path, c) => {
    test('refused values: one issue with the value and what is allowed', () => {
      expect(c.bad.length).toBeGreaterThan(0);
      for (const value of c.bad) {
        expect([value, issuesAt(set(path, value), path)]).toEqual([value, [{ path, value, expected: c.expected }]]);
      }
    });

    test('accepted values', () => {
      expect(c.ok.length).toBeGreaterThan(0);
      for (const value of c.ok) expect([value, issuesAt(set(path, value), path)]).toEqual([value, []]);
    });
  });
}
