import { allResources } from './support/stack-json';
import { defaultSynth } from './support/shared-synth';

/**
 * Names that repeat a component (`mi-production-eu-west-aurora-aurora`): a module appends its
 * component to a name the plan already ends with it. Read from `name`, `identifier` and the `Name`
 * tag of every resource.
 */
function doubledNames(stacks: { id: string; resources: { body: Record<string, unknown> }[] }[]): string[] {
  const found = new Set<string>();
  for (const stack of stacks) {
    for (const { body } of stack.resources) {
      const tags = (body.tags ?? {}) as Record<string, unknown>;
      for (const value of [body.name, body.identifier, body.cluster_identifier, tags.Name]) {
        if (typeof value === 'string' && /(?:^|-)([a-z0-9]+)-\1(?:-|$)/.test(value)) found.add(value);
      }
    }
  }
  return [...found].sort();
}

/**
 * Known offenders, with the module that appends the repeated component. They are listed, not
 * accepted: the test fails on any new doubled name and on a listed one that is gone, so the list
 * only shrinks. Fix: name the security group, subnet group and parameter group after the cluster
 * or group id alone (`${name}`, `${name}-pg<major>`) in those modules.
 */
const KNOWN: Record<string, string> = {
  'mi-production-<key>-aurora-aurora': 'modules/aurora-global/regional-cluster.ts (security and subnet group)',
  'mi-production-<key>-aurora-aurora-pg15': 'modules/aurora-global/regional-cluster.ts (cluster parameter group)',
  'mi-production-<key>-cache-cache': 'modules/elasticache-global/replication-group.ts (security and subnet group)',
};

describe('resource names do not repeat a component (default production synth)', () => {
  const synth = defaultSynth('production');
  const keys = synth.stackIds.filter((id) => id.startsWith('region-')).map((id) => id.slice('region-'.length));
  const found = doubledNames(synth.stackIds.map((id) => ({ id, resources: allResources(synth.stack(id)) })));
  const generic = (name: string) => keys.reduce((n, key) => n.replace(`-${key}-`, '-<key>-'), name);

  test('the detector finds a doubled component and ignores a single one', () => {
    const stack = (name: string) => [{ id: 's', resources: [{ body: { name } }] }];
    expect(doubledNames(stack('mi-production-eu-west-aurora-aurora'))).toHaveLength(1);
    expect(doubledNames(stack('x-cache-cache-pg15'))).toHaveLength(1);
    expect(doubledNames(stack('mi-production-eu-west-aurora'))).toEqual([]);
    expect(doubledNames(stack('mi-production-eu-west-events-ordering'))).toEqual([]);
  });

  test('no doubled name beyond the known offenders, and every known offender still exists', () => {
    expect(keys.length).toBeGreaterThan(1);
    expect([...new Set(found.map(generic))].sort()).toEqual(Object.keys(KNOWN).sort());
  });
});
