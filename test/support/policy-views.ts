import type { ResourceView } from '../../src/policy/types';

/**
 * A resource as the policy engine sees it, for rule tests on literal resources: `type` with a
 * `data.` prefix makes a data source; `region` is the provider's literal region when a rule needs it.
 */
export function resourceView(
  type: string,
  attributes: Record<string, unknown>,
  name = 'r',
  region?: string,
): ResourceView {
  const data = type.startsWith('data.');
  return {
    kind: data ? 'data' : 'resource',
    type: type.replace(/^data\./, ''),
    address: `${type}.${name}`,
    path: `stack/${name}`,
    attributes,
    ...(region === undefined ? {} : { region }),
  };
}
