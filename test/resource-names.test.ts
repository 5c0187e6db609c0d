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

  test('no resource name repeats a component', () => {
    expect(keys.length).toBeGreaterThan(1);
    expect([...new Set(found.map(generic))].sort()).toEqual([]);
  });
});
