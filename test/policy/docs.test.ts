import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/policy/rules';

/** docs/policy.md lists exactly the rules of the registry, with their rationale. */
describe('docs/policy.md', () => {
  const doc = readFileSync(join(__dirname, '../../docs/policy.md'), 'utf8');
  const rows = new Map(
    [...doc.matchAll(/^\|\s*(MRP-[A-Z0-9]+-\d+)\s*\|[^|]+\|[^|]+\|\s*(.+?)\s*\|$/gm)].map((m) => [m[1], m[2]]),
  );

  test.each(RULES.map((r) => [r.id, r.rationale]))('lists %s with its rationale', (id, rationale) => {
    expect(rows.get(id)).toBe(rationale);
  });

  test('lists no rule that does not exist', () => {
    const ids = new Set(RULES.map((r) => r.id));
    expect([...rows.keys()].filter((id) => !ids.has(id))).toEqual([]);
  });
});
