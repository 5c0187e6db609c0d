import {
  ListRoutingControlsCommand,
  UpdateRoutingControlStatesCommand,
  type Route53RecoveryClusterClient,
  type UpdateRoutingControlStateEntry,
} from '@aws-sdk/client-route53-recovery-cluster';
import type { RecoveryClusterEndpoint } from '../config/traffic-types';
import type { DrClients } from './clients';
import type { Clock } from './clock';
import { DrError, type DrRecoveryControl, type DrRegion, type DrTargets } from './targets';

/**
 * ARC routing controls through the cluster's data plane only: never ARC's configuration API
 * (us-west-2) nor Route 53's (us-east-1), so a failover does not depend on either region.
 */

/** Errors with which the cluster answered the request itself: another endpoint would answer the same. */
const ANSWERED = new Set([
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ValidationException',
  'ServiceLimitExceededException',
]);

/**
 * "There was a conflict with this request. Try again." (the API reference): another update in
 * flight, or a safety rule still in its wait period. Retried with backoff (1, 2, 4 s) on the next
 * endpoint; after this many it ends the call.
 */
export const CONFLICT_ATTEMPTS = 4;

export interface RoutingControlState {
  /** Region key. */
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly on: boolean;
}

export interface ClusterCallOptions {
  /** AWS code of a region whose endpoint is never called (the lost region). */
  readonly exclude?: string;
  /** Where to say that an endpoint did not answer and the next one is tried. */
  readonly print?: (line: string) => void;
  /** Sleeps between conflicting attempts (none without it). */
  readonly clock?: Pick<Clock, 'sleep'>;
}

/** The ARC settings of the targets; a DrError when `traffic.recoveryControl` is off. */
export function recoveryControlOf(targets: DrTargets): DrRecoveryControl {
  if (!targets.recoveryControl) {
    throw new DrError('traffic.recoveryControl is not enabled in this environment: there are no routing controls');
  }
  return targets.recoveryControl;
}

/**
 * Runs `call` on the cluster's endpoints in turn until one answers (AWS's advice: the five
 * endpoints are redundant; any one gives the cluster's consensus). An endpoint that does not answer,
 * or answers with a server-side fault, passes the call to the next; a conflict is retried with
 * backoff ({@link CONFLICT_ATTEMPTS}); any other error the cluster answered with (access denied,
 * validation, not found) ends it. The excluded region's endpoint is never called.
 */
export async function throughCluster<T>(
  clients: DrClients,
  targets: DrTargets,
  what: string,
  call: (client: Route53RecoveryClusterClient) => Promise<T>,
  options: ClusterCallOptions = {},
): Promise<T> {
  const arc = recoveryControlOf(targets);
  const make = clients.recoveryCluster;
  if (!make) throw new DrError('these AWS clients have no ARC cluster client (route53-recovery-cluster)');
  const endpoints = arc.clusterEndpoints.filter((e) => e.region !== options.exclude);
  if (endpoints.length === 0) {
    throw new DrError(
      arc.clusterEndpoints.length === 0
        ? `${what}: no endpoint of the ARC cluster ${arc.clusterName} is configured: copy the global stack output recovery_control_cluster_endpoints into traffic.recoveryControl.clusterEndpoints (docs/traffic.md, "Routing controls")`
        : `${what}: every configured endpoint of the ARC cluster ${arc.clusterName} is in ${options.exclude}, the excluded region`,
    );
  }
  const failures: string[] = [];
  let conflicts = 0;
  for (let i = 0; i < endpoints.length; i++) {
    const endpoint = endpoints[i];
    try {
      return await call(make(endpoint));
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (ANSWERED.has(name)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (name === 'ConflictException') {
        conflicts++;
        if (conflicts >= CONFLICT_ATTEMPTS) {
          throw new DrError(
            `${what}: the ARC cluster ${arc.clusterName} answered ConflictException ${conflicts} times (${message}): another update is in flight or a safety rule refuses it; check \`npm run dr -- status\`, then run the same command again`,
          );
        }
        const backoff = 1000 * 2 ** (conflicts - 1);
        options.print?.(`  ${label(endpoint)}: conflict (${message}); trying again in ${backoff / 1000} s`);
        await options.clock?.sleep(backoff);
        // The same list again from here: a conflict is an answer, the endpoint is fine.
        i--;
        continue;
      }
      failures.push(`${label(endpoint)}: ${message}`);
      if (i < endpoints.length - 1)
        options.print?.(`  ${label(endpoint)} did not answer (${message}); trying the next endpoint`);
    }
  }
  throw new DrError(
    `${what}: no endpoint of the ARC cluster ${arc.clusterName} answered (${failures.join('; ')}). Check the endpoints in traffic.recoveryControl.clusterEndpoints against the global stack output recovery_control_cluster_endpoints, credentials and network, then run the same command again`,
  );
}

const label = (e: RecoveryClusterEndpoint) => `ARC endpoint ${e.region} (${e.endpoint})`;

/** Every region's routing control and its state, in region order; a DrError naming any missing. */
export async function routingControlStates(
  clients: DrClients,
  targets: DrTargets,
  options: ClusterCallOptions = {},
): Promise<RoutingControlState[]> {
  const arc = recoveryControlOf(targets);
  // Listed without a control panel ARN (not known offline): every routing control of the cluster,
  // ours picked by control panel and routing control name.
  const listed = await throughCluster(
    clients,
    targets,
    'route53-recovery-cluster:ListRoutingControls',
    async (client) => {
      const all = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListRoutingControlsCommand({ NextToken: token }));
        all.push(...(page.RoutingControls ?? []));
        token = page.NextToken;
      } while (token);
      return all;
    },
    options,
  );
  const ours = listed.filter((c) => c.ControlPanelName === arc.controlPanelName);
  return targets.regions.map((region) => {
    const control = ours.find((c) => c.RoutingControlName === region.routingControl);
    if (!control?.RoutingControlArn) {
      throw new DrError(
        `no routing control ${region.routingControl} in control panel ${arc.controlPanelName} of the ARC cluster ${arc.clusterName}: is the global stack deployed with traffic.recoveryControl?`,
      );
    }
    return {
      region: region.key,
      name: control.RoutingControlName!,
      arn: control.RoutingControlArn,
      on: control.RoutingControlState === 'On',
    };
  });
}

/** The state of one region's routing control among `states`. */
export function stateOf(states: readonly RoutingControlState[], region: DrRegion): RoutingControlState {
  const state = states.find((s) => s.region === region.key);
  if (!state) throw new DrError(`no routing control state for ${region.key}`);
  return state;
}

/** The UpdateRoutingControlStates input that sets these routing controls (one call: atomic). */
export function updateInput(changes: readonly { readonly arn: string; readonly on: boolean }[]) {
  return {
    UpdateRoutingControlStateEntries: changes.map((c): UpdateRoutingControlStateEntry => ({
      RoutingControlArn: c.arn,
      RoutingControlState: c.on ? 'On' : 'Off',
    })),
  };
}

/** Sets routing controls in one UpdateRoutingControlStates call, through the first endpoint that answers. */
export async function setRoutingControls(
  clients: DrClients,
  targets: DrTargets,
  input: ReturnType<typeof updateInput>,
  options: ClusterCallOptions = {},
): Promise<void> {
  await throughCluster(
    clients,
    targets,
    'route53-recovery-cluster:UpdateRoutingControlStates',
    (client) => client.send(new UpdateRoutingControlStatesCommand(input)),
    options,
  );
}

/** `ON` / `OFF` as status lines print it. */
export const onOff = (on: boolean) => (on ? 'ON' : 'OFF');
