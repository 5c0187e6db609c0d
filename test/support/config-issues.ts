import { checkConfig } from '../../src/config/validate';
import { IssueCollector, type ConfigIssue } from '../../src/config/errors';
import type { PlatformConfig } from '../../src/config/types';
import { type Mutable, threeRegions, variant } from './config';

/** A change to a deep copy of a fixture configuration. */
export type Change = (c: Mutable<PlatformConfig>) => void;

/** The shape issues (checkConfig) of the three-region fixture changed by `change`, at `path` exactly. */
export function issuesAt(change: Change, path: string): ConfigIssue[] {
  const issues = new IssueCollector();
  checkConfig(variant(change, threeRegions), issues);
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
