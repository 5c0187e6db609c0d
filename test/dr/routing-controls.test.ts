// The DR CLI with ARC routing controls (`traffic.recoveryControl`, docs/traffic.md "Routing
// controls"): routing controls are read and set only through the cluster's data-plane endpoints,
// one after the other until one answers, never the lost or excluded region's endpoint; with
// `gateTraffic` a switchover drains and a failover fences through them instead of Route 53's API.
// The stacks' side: test/recovery-control.test.ts.
import { SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { UpdateHealthCheckCommand } from '@aws-sdk/client-route-53';
import {
  ListRoutingControlsCommand,
  Route53RecoveryClusterClient,
  UpdateRoutingControlStatesCommand,
  type UpdateRoutingControlStatesCommandInput,
} from '@aws-sdk/client-route53-recovery-cluster';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { DrClients } from '../../src/dr/clients';
import { stateOf, throughCluster, updateInput } from '../../src/dr/routing-controls';
import { DrError, drTargets, type DrTargets } from '../../src/dr/targets';
import type { RecoveryClusterEndpoint, RecoveryControlSettings } from '../../src/config/traffic-types';
import type { PlatformConfig } from '../../src/config/types';
import { resolvePlan } from '../../src/plan/resolve';
import { threeRegions, variant } from '../support/config';
import { awsError, drClients, fakeAws, fakeClock, type FakeAws, sdkMocks } from '../support/dr-mocks';
import { runDrCaptured } from '../support/dr-run';

const ENDPOINTS: RecoveryClusterEndpoint[] = [
  { region: 'us-east-1', endpoint: 'https://a1.route53-recovery-cluster.us-east-1.amazonaws.com/v1' },
  { region: 'us-west-2', endpoint: 'https://b2.route53-recovery-cluster.us-west-2.amazonaws.com/v1' },
  { region: 'eu-west-1', endpoint: 'https://c3.route53-recovery-cluster.eu-west-1.amazonaws.com/v1' },
  { region: 'ap-southeast-1', endpoint: 'https://d4.route53-recovery-cluster.ap-southeast-1.amazonaws.com/v1' },
  { region: 'ap-northeast-1', endpoint: 'https://e5.route53-recovery-cluster.ap-northeast-1.amazonaws.com/v1' },
];

const withArc = (settings: RecoveryControlSettings): PlatformConfig =>
  variant((c) => {
    c.traffic.recoveryControl = settings as never;
  }, threeRegions);
const GATED = withArc({ enabled: true, gateTraffic: true, clusterEndpoints: ENDPOINTS });
const UNGATED = withArc({ enabled: true });

const targets = drTargets(resolvePlan(GATED));
const region = (key: string) => targets.regions.find((r) => r.key === key)!;
const [usEast, euWest] = [region('us-east'), region('eu-west')];
const controlArn = (key: string) =>
  `arn:aws:route53-recovery-control::111122223333:controlpanel/abc/routingcontrol/${key}`;

const mocks = sdkMocks();
const arcMock = mockClient(Route53RecoveryClusterClient);

/** ARC's data plane as the DR CLI sees it: routing-control states, endpoints that are down or failing. */
interface FakeArc {
  /** Routing control state per region key. */
  readonly on: Record<string, boolean>;
  /** Endpoint regions that never answer. */
  readonly down: Set<string>;
  /** Next calls of an API reject with these errors, in order. */
  readonly failures: Record<string, Error[]>;
  /** Endpoint region of every call, with its API. */
  readonly calls: { region: string; api: string; input: unknown; awsCallsBefore: number; at: number }[];
  /** Updates that leave the states unchanged (an eventually consistent read after it). */
  ignoreUpdates: boolean;
  /** Clock time of the last accepted update: the safety rule refuses another within its wait period. */
  lastUpdateAt?: number;
}

function fakeArc(config: { controlPanelName: string }): FakeArc {
  const arc: FakeArc = {
    on: Object.fromEntries(targets.regions.map((r) => [r.key, true])),
    down: new Set(),
    failures: {},
    calls: [],
    ignoreUpdates: false,
  };
  const record = async (
    api: string,
    input: unknown,
    getClient: () => { config: { region: () => Promise<string> } },
  ) => {
    const at = await getClient().config.region();
    arc.calls.push({ region: at, api, input, awsCallsBefore: aws.calls.length, at: clock.now() });
    if (arc.down.has(at)) return new Promise<never>(() => undefined);
    const failure = arc.failures[api]?.shift();
    if (failure) throw failure;
    return undefined;
  };
  arcMock.on(ListRoutingControlsCommand).callsFake(async (input, getClient) => {
    const hung = await record('ListRoutingControls', input, getClient);
    if (hung) return hung;
    // Two pages; the first holds a control of another panel with one of our names (must be ignored).
    if (!input.NextToken) {
      return {
        RoutingControls: [
          {
            ControlPanelName: 'someone-elses-panel',
            RoutingControlName: usEast.routingControl,
            RoutingControlArn: 'arn:aws:route53-recovery-control::111122223333:controlpanel/zzz/routingcontrol/other',
            RoutingControlState: 'Off',
          },
          ...targets.regions.slice(0, 1).map((r) => control(r.key)),
        ],
        NextToken: 'page-2',
      };
    }
    return { RoutingControls: targets.regions.slice(1).map((r) => control(r.key)) };
  });
  const control = (key: string) => ({
    ControlPanelName: config.controlPanelName,
    RoutingControlName: region(key).routingControl,
    RoutingControlArn: controlArn(key),
    RoutingControlState: arc.on[key] ? 'On' : 'Off',
  });
  arcMock
    .on(UpdateRoutingControlStatesCommand)
    .callsFake(async (input: UpdateRoutingControlStatesCommandInput, getClient) => {
      const hung = await record('UpdateRoutingControlStates', input, getClient);
      if (hung) return hung;
      const next = { ...arc.on };
      for (const entry of input.UpdateRoutingControlStateEntries ?? []) {
        const key = targets.regions.find((r) => controlArn(r.key) === entry.RoutingControlArn)?.key;
        if (!key) throw awsError('ResourceNotFoundException', `no routing control ${entry.RoutingControlArn}`);
        next[key] = entry.RoutingControlState === 'On';
      }
      // The safety rule: at least one routing control stays on, and no change within its wait period.
      if (!Object.values(next).some(Boolean)) {
        throw awsError('ConflictException', 'the update would break the safety rule at-least-one-region-on');
      }
      const waitMs = targets.recoveryControl!.safetyRuleWaitMs;
      if (arc.lastUpdateAt !== undefined && clock.now() - arc.lastUpdateAt < waitMs) {
        throw awsError('ConflictException', 'the safety rule is in its wait period');
      }
      arc.lastUpdateAt = clock.now();
      if (!arc.ignoreUpdates) Object.assign(arc.on, next);
      return {};
    });
  return arc;
}

const clients: DrClients = {
  ...drClients,
  recoveryCluster: (e) => new Route53RecoveryClusterClient({ region: e.region, endpoint: e.endpoint }),
};

let aws: FakeAws;
let arc: FakeArc;
let clock = fakeClock();

beforeEach(() => {
  Object.values(mocks).forEach((m) => m.reset());
  arcMock.reset();
  clock = fakeClock();
  aws = fakeAws(mocks, targets, usEast.code);
  arc = fakeArc(targets.recoveryControl!);
});

const run = (argv: string[], config: PlatformConfig = GATED) => runDrCaptured(argv, { config, clients, clock });
const arcCalls = (api?: string) => arc.calls.filter((c) => api === undefined || c.api === api);
const updates = () =>
  arcCalls('UpdateRoutingControlStates').map(
    (c) => (c.input as UpdateRoutingControlStatesCommandInput).UpdateRoutingControlStateEntries,
  );
const entry = (key: string, on: boolean) => ({
  RoutingControlArn: controlArn(key),
  RoutingControlState: on ? 'On' : 'Off',
});

describe('dr targets with routing controls', () => {
  test("lists each region's routing control and the cluster's endpoints", async () => {
    const { code, out } = await run(['targets']);
    expect(code).toBe(0);
    expect(out).toMatch(/us-east \(us-east-1, primary\): .*, routing control mi-production-us-east-traffic/);
    expect(out).toMatch(
      /ARC cluster mi-production-arc, control panel mi-production-traffic \(records follow the routing controls\); endpoints: us-east-1, us-west-2, eu-west-1, ap-southeast-1, ap-northeast-1/,
    );
    expect(arc.calls).toEqual([]);
  });

  test('--json carries the ARC settings; without recoveryControl there are none', async () => {
    const json = JSON.parse((await run(['targets', '--json'])).out) as DrTargets;
    expect(json.recoveryControl).toEqual({
      clusterName: 'mi-production-arc',
      controlPanelName: 'mi-production-traffic',
      gateTraffic: true,
      clusterEndpoints: ENDPOINTS,
      safetyRuleWaitMs: 5000,
    });
    expect(json.regions.map((r) => r.routingControl)).toEqual([
      'mi-production-us-east-traffic',
      'mi-production-eu-west-traffic',
      'mi-production-apac-traffic',
    ]);
    const plain = JSON.parse((await run(['targets', '--json'], threeRegions)).out) as DrTargets;
    expect(plain.recoveryControl).toBeUndefined();
    expect(plain.regions.every((r) => !('routingControl' in r))).toBe(true);
  });

  test('not gated yet: says records do not follow them, and lists no endpoint', async () => {
    const { out } = await run(['targets'], UNGATED);
    expect(out).toMatch(/\(records do not follow them: gateTraffic off\); endpoints: none configured/);
  });
});

describe('dr status with routing controls', () => {
  test('prints every routing control through the first endpoint; all on is healthy', async () => {
    const { code, out } = await run(['status']);
    expect(code).toBe(0);
    expect(out).toMatch(/ARC routing controls \(mi-production-traffic; records follow them\):/);
    expect(out).toMatch(/ {2}eu-west mi-production-eu-west-traffic: ON$/m);
    // Both pages, from the first endpoint only.
    expect(arcCalls().map((c) => c.region)).toEqual(['us-east-1', 'us-east-1']);
    const json = await run(['status', '--json']);
    const report = JSON.parse(json.out) as { routingControls: unknown };
    expect(report.routingControls).toEqual([
      { region: 'us-east', name: 'mi-production-us-east-traffic', on: true },
      { region: 'eu-west', name: 'mi-production-eu-west-traffic', on: true },
      { region: 'apac', name: 'mi-production-apac-traffic', on: true },
    ]);
  });

  test('gated, a routing control that is off keeps its region out of DNS: unhealthy, exit 1', async () => {
    arc.on['apac'] = false;
    const { code, out } = await run(['status']);
    expect(out).toMatch(/apac mi-production-apac-traffic: OFF \(out of DNS\)/);
    expect(code).toBe(1);
  });

  test('not gated, an off routing control is reported but changes nothing: exit 0', async () => {
    arc.on['apac'] = false;
    const { code, out } = await run(['status'], withEndpoints(UNGATED));
    expect(out).toMatch(/records do not follow them yet: gateTraffic is off/);
    expect(out).toMatch(/apac mi-production-apac-traffic: OFF$/m);
    expect(code).toBe(0);
  });

  test("--exclude skips the excluded region's endpoint; an endpoint that does not answer passes to the next", async () => {
    arc.down.add('us-west-2');
    const { code, out } = await run(['status', '--exclude', 'us-east', '--call-timeout', '0.05']);
    expect(code).toBe(0);
    expect(arcCalls().some((c) => c.region === 'us-east-1')).toBe(false);
    expect(out).toMatch(/ARC endpoint us-west-2 \(https:\/\/b2\.[^)]+\) did not answer .*; trying the next endpoint/);
    expect(arcCalls().map((c) => c.region)).toEqual(['us-west-2', 'eu-west-1', 'eu-west-1']);
  });

  test('no endpoint answers: unhealthy, and the message names every endpoint tried', async () => {
    ENDPOINTS.forEach((e) => arc.down.add(e.region));
    const { code, out } = await run(['status', '--call-timeout', '0.02']);
    expect(code).toBe(1);
    expect(out).toMatch(/could not read them: .*no endpoint of the ARC cluster mi-production-arc answered/);
    expect(out).toMatch(/ap-northeast-1 \(https:\/\/e5\./);
    expect(arcCalls().map((c) => c.region)).toEqual(ENDPOINTS.map((e) => e.region));
  });

  test('an error the cluster answered with (access denied) is not swallowed as "could not read them"', async () => {
    arc.failures['ListRoutingControls'] = [awsError('AccessDeniedException', 'not allowed')];
    const { code, out, err } = await run(['status']);
    expect(code).toBe(1);
    expect(out).not.toMatch(/could not read them/);
    expect(err).toMatch(
      /^AWS refused the call \(AccessDeniedException\): not allowed\. Use credentials of a role allowed to run DR operations/,
    );
  });
});

/** UNGATED with endpoints, so status can read the routing controls while records do not follow them. */
function withEndpoints(config: PlatformConfig): PlatformConfig {
  return variant((c) => {
    c.traffic.recoveryControl = { enabled: true, clusterEndpoints: ENDPOINTS } as never;
  }, config);
}

describe('dr switchover with gated routing controls', () => {
  test('dry run: reads the routing controls, changes nothing', async () => {
    const { code, out } = await run(['switchover', '--to', 'eu-west']);
    expect(code).toBe(0);
    expect(out).toMatch(/1\. drain us-east from DNS \(ARC routing control mi-production-us-east-traffic off\)/);
    expect(out).toMatch(/would call route53-recovery-cluster:UpdateRoutingControlStates/);
    expect(updates()).toEqual([]);
    expect(mocks.r53).not.toHaveReceivedCommand(UpdateHealthCheckCommand);
  });

  test('--execute: the old writer off before Aurora moves, back on after the cache moved; no health-check change', async () => {
    const { code } = await run(['switchover', '--to', 'eu-west', '--execute']);
    expect(code).toBe(0);
    expect(updates()).toEqual([[entry('us-east', false)], [entry('us-east', true)]]);
    expect(arc.on).toEqual({ 'us-east': true, 'eu-west': true, apac: true });
    expect(mocks.r53).not.toHaveReceivedCommand(UpdateHealthCheckCommand);
    expect([aws.auroraWriter, aws.cachePrimary]).toEqual([euWest.code, euWest.code]);
    // Drain, then the Aurora switchover and the cache failover, then the restore: in that order.
    const switchAt = aws.calls.findIndex((c) => c.api === 'SwitchoverGlobalCluster');
    const cacheAt = aws.calls.findIndex((c) => c.api === 'FailoverGlobalReplicationGroup');
    const [drain, restore] = arcCalls('UpdateRoutingControlStates');
    expect(drain.awsCallsBefore).toBeLessThanOrEqual(switchAt);
    expect(restore.awsCallsBefore).toBeGreaterThan(cacheAt);
  });

  test('a target whose routing control is off is turned on in the same call as the drain', async () => {
    arc.on['eu-west'] = false;
    const { code } = await run(['switchover', '--to', 'eu-west', '--execute']);
    expect(code).toBe(0);
    expect(updates()[0]).toEqual([entry('us-east', false), entry('eu-west', true)]);
    expect(arc.on['eu-west']).toBe(true);
  });

  test('the old writer comes back on even when the Aurora switchover fails at once, after the safety rule wait', async () => {
    aws.failures['SwitchoverGlobalCluster'] = [awsError('InvalidGlobalClusterStateFault', 'busy')];
    const { code, err, out } = await run(['switchover', '--to', 'eu-west', '--execute']);
    expect(code).toBe(1);
    expect(err).toMatch(/busy/);
    expect(updates()).toEqual([[entry('us-east', false)], [entry('us-east', true)]]);
    expect(arc.on['us-east']).toBe(true);
    expect(mocks.rds).toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
    // The restore waited out the rule's 5 s instead of running into its refusal.
    const [drain, restore] = arcCalls('UpdateRoutingControlStates');
    expect(restore.at - drain.at).toBeGreaterThanOrEqual(5000);
    expect(out).not.toMatch(/conflict/);
  });

  test('a restore that fails too reports both failures, the first one first', async () => {
    aws.failures['SwitchoverGlobalCluster'] = [awsError('InvalidGlobalClusterStateFault', 'busy')];
    // The drain passes; the restore is denied.
    arc.failures['UpdateRoutingControlStates'] = [];
    let updatesSeen = 0;
    const denyRestore = () => {
      if (++updatesSeen > 1)
        arc.failures['UpdateRoutingControlStates'].push(awsError('AccessDeniedException', 'not allowed to turn it on'));
    };
    arcMock.on(UpdateRoutingControlStatesCommand).callsFake(async (input: UpdateRoutingControlStatesCommandInput) => {
      denyRestore();
      if (updatesSeen > 1) throw arc.failures['UpdateRoutingControlStates'].shift();
      arc.on['us-east'] = input.UpdateRoutingControlStateEntries?.[0].RoutingControlState === 'On';
      return {};
    });
    const { code, err } = await run(['switchover', '--to', 'eu-west', '--execute']);
    expect(code).toBe(1);
    expect(err).toMatch(
      /busy; then restoring us-east in DNS failed too \(not allowed to turn it on\): it stays out of DNS until restored/,
    );
    expect(arc.on['us-east']).toBe(false);
  });

  test('not gated: the health check is inverted as without ARC, and no routing control changes', async () => {
    const { code } = await run(['switchover', '--to', 'eu-west', '--execute'], withEndpoints(UNGATED));
    expect(code).toBe(0);
    expect(mocks.r53).toHaveReceivedCommandWith(UpdateHealthCheckCommand, {
      HealthCheckId: 'hc-us-east',
      Inverted: true,
    });
    expect(updates()).toEqual([]);
  });
  test('the restore waits only what is left of the safety rule wait: none after a 20 s Aurora switchover', async () => {
    // The clock does not start at zero, so a wait computed from the wrong origin shows.
    await clock.sleep(1_000_000);
    aws.failures['FailoverGlobalReplicationGroup'] = [awsError('InvalidGlobalReplicationGroupState', 'busy')];
    const { code } = await run(['switchover', '--to', 'eu-west', '--execute']);
    expect(code).toBe(1);
    const [drain, restore] = arcCalls('UpdateRoutingControlStates');
    expect(restore.at - drain.at).toBe(20_000);
    expect(arc.on['us-east']).toBe(true);
  });

  test('a restore right after the drain waits exactly the safety rule wait', async () => {
    await clock.sleep(1_000_000);
    aws.failures['SwitchoverGlobalCluster'] = [awsError('InvalidGlobalClusterStateFault', 'busy')];
    await run(['switchover', '--to', 'eu-west', '--execute']);
    const [drain, restore] = arcCalls('UpdateRoutingControlStates');
    expect(restore.at - drain.at).toBe(5000);
    expect(arcCalls('UpdateRoutingControlStates')).toHaveLength(2);
  });

  test('a dry run neither changes nor waits', async () => {
    const before = clock.now();
    const { out } = await run(['switchover', '--to', 'eu-west']);
    expect(clock.now()).toBe(before);
    expect(out.split('\n')).toContain('4. restore us-east in DNS');
    expect(updates()).toEqual([]);
  });

  test('the drain reads and sets the controls with backoff and endpoint fallback, and says so', async () => {
    arc.down.add('us-east-1');
    arc.failures['UpdateRoutingControlStates'] = [awsError('ConflictException', 'try again')];
    const { code, out } = await run(['switchover', '--to', 'eu-west', '--execute', '--call-timeout', '0.05']);
    expect(code).toBe(0);
    expect(out).toMatch(
      / did not answer \(route53-recovery-cluster:ListRoutingControls in .*\); trying the next endpoint/,
    );
    expect(out).toMatch(/: conflict \(try again\); trying again in 1 s/);
    const [conflict, drain] = arcCalls('UpdateRoutingControlStates').filter((c) => c.region !== 'us-east-1');
    expect(drain.at - conflict.at).toBe(1000);
  });

  test('no writer region to drain: the target is turned on if off, nothing is restored', async () => {
    aws.auroraWriter = 'none';
    aws.cachePrimary = euWest.code;
    arc.on['eu-west'] = false;
    const { code, out } = await run(['switchover', '--to', 'eu-west', '--execute']);
    expect(code).toBe(0);
    expect(out).toMatch(/1\. drain \(no writer region\) from DNS \(ARC routing control - off\)/);
    expect(updates()).toEqual([[entry('eu-west', true)]]);
  });
});

describe('dr failover with gated routing controls', () => {
  const EXECUTE = ['--execute', '--accept-data-loss'];
  beforeEach(() => {
    aws.down.add(usEast.code);
    arc.down.add('us-east-1');
    aws.lags[euWest.code] = { rpoMs: 850, replicationMs: 400, cacheSeconds: 0.2 };
  });

  test('dry run: plans the routing-control fence and never calls the lost region', async () => {
    const { code, out } = await run(['failover', '--to', 'eu-west', '--call-timeout', '0.05']);
    expect(code).toBe(0);
    expect(out).toMatch(
      /fence us-east out of DNS: ARC routing control mi-production-us-east-traffic off \(mi-production-eu-west-traffic on\)/,
    );
    expect(updates()).toEqual([]);
    expect(arcCalls().some((c) => c.region === 'us-east-1')).toBe(false);
  });

  test('--execute: the lost region off in one call through a surviving endpoint, read back, no Route 53 change', async () => {
    const { code, out } = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    expect(code).toBe(0);
    expect(updates()).toEqual([[entry('us-east', false)]]);
    expect(arcCalls('UpdateRoutingControlStates').map((c) => c.region)).toEqual(['us-west-2']);
    expect(arc.on).toEqual({ 'us-east': false, 'eu-west': true, apac: true });
    expect(arcCalls().some((c) => c.region === 'us-east-1')).toBe(false);
    expect(mocks.r53).not.toHaveReceivedCommand(UpdateHealthCheckCommand);
    expect(out).toMatch(/mi-production-us-east-traffic off: us-east leaves DNS/);
  });

  test('resumable: a second run finds the fence in place and changes nothing more', async () => {
    await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    const first = updates().length;
    const { code, out } = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    expect(code).toBe(0);
    expect(out).toMatch(/mi-production-us-east-traffic is already off and mi-production-eu-west-traffic on/);
    expect(updates()).toHaveLength(first);
  });

  test('an update the cluster does not show afterwards fails the step with exit 1', async () => {
    arc.ignoreUpdates = true;
    const { code, err } = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    expect(code).toBe(1);
    expect(err).toMatch(/still reports mi-production-us-east-traffic on or mi-production-eu-west-traffic off/);
  });

  test('a conflict is retried with backoff on the same endpoint, then the fence is placed', async () => {
    arc.failures['UpdateRoutingControlStates'] = [awsError('ConflictException', 'try again')];
    const { code, out } = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    expect(code).toBe(0);
    expect(out).toMatch(/ARC endpoint us-west-2 .*: conflict \(try again\); trying again in 1 s/);
    const tries = arcCalls('UpdateRoutingControlStates');
    expect(tries.map((c) => c.region)).toEqual(['us-west-2', 'us-west-2']);
    expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(1000);
    expect(arc.on['us-east']).toBe(false);
  });

  test('a conflict while reading the controls is retried with backoff too, and says so', async () => {
    arc.failures['ListRoutingControls'] = [awsError('ConflictException', 'busy')];
    const { code, out } = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    expect(code).toBe(0);
    expect(out).toMatch(/ARC endpoint us-west-2 .*: conflict \(busy\); trying again in 1 s/);
    const [first, second] = arcCalls('ListRoutingControls');
    expect(second.at - first.at).toBe(1000);
    expect(arcCalls().some((c) => c.region === 'us-east-1')).toBe(false);
  });

  test('conflicts that persist end the call after 4 attempts, exit 1, nothing changed', async () => {
    arc.failures['UpdateRoutingControlStates'] = Array.from({ length: 4 }, () =>
      awsError('ConflictException', 'refused by a safety rule'),
    );
    const { code, err } = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    expect(code).toBe(1);
    expect(err).toMatch(/answered ConflictException 4 times \(refused by a safety rule\)/);
    expect(arcCalls('UpdateRoutingControlStates')).toHaveLength(4);
    expect(arc.on['us-east']).toBe(true);
  });

  test('an error the cluster answered with (access denied) ends the call: no other endpoint is tried', async () => {
    arc.failures['UpdateRoutingControlStates'] = [awsError('AccessDeniedException', 'denied')];
    const { code, err } = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    expect(code).toBe(1);
    expect(err).toMatch(/denied/);
    expect(arcCalls('UpdateRoutingControlStates').map((c) => c.region)).toEqual(['us-west-2']);
    expect(arc.on['us-east']).toBe(true);
  });
  test('--json: the fence step planned, done, then already done; the update is announced', async () => {
    const step = async (...extra: string[]) => {
      const { out } = await run(['failover', '--to', 'eu-west', '--json', '--call-timeout', '0.05', ...extra]);
      return (JSON.parse(out) as { steps: { step: string; status: string }[] }).steps.find(
        (s) => s.step === 'traffic',
      )!;
    };
    expect((await step()).status).toBe('planned');
    const executed = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    expect(executed.out.split('\n')).toContain(
      `  calling route53-recovery-cluster:UpdateRoutingControlStates {"UpdateRoutingControlStateEntries":[{"RoutingControlArn":"${controlArn('us-east')}","RoutingControlState":"Off"}]}`,
    );
    const json = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--json', '--call-timeout', '0.05']);
    expect((JSON.parse(json.out) as { steps: { status: string }[] }).steps.map((s) => s.status)).toEqual([
      'already-done',
      'already-done',
      'already-done',
    ]);
  });

  test('the fence step passes an endpoint that does not answer to the next and says so, never asking the lost one', async () => {
    arc.down.add('us-west-2');
    const { code, out } = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    expect(code).toBe(0);
    expect(out).toMatch(/ARC endpoint us-west-2 \(https:\/\/b2\.[^)]+\) did not answer .*; trying the next endpoint/);
    expect(out).not.toMatch(/refusing to call/);
    expect(arcCalls().some((c) => c.region === 'us-east-1')).toBe(false);
    expect(arc.on['us-east']).toBe(false);
  });

  test('a target whose routing control is off is turned on in the same call as the fence', async () => {
    arc.on['eu-west'] = false;
    const { code } = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    expect(code).toBe(0);
    expect(updates()).toEqual([[entry('us-east', false), entry('eu-west', true)]]);
    expect(arc.on).toEqual({ 'us-east': false, 'eu-west': true, apac: true });
  });

  test('the lost region already off and the target off: only the target is turned on', async () => {
    arc.on['us-east'] = false;
    arc.on['eu-west'] = false;
    const { code } = await run(['failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05']);
    expect(code).toBe(0);
    expect(updates()).toEqual([[entry('eu-west', true)]]);
  });
});

describe('throughCluster', () => {
  const guardless = { ...clients };

  test('an error the cluster answered with ends the call at the first endpoint', async () => {
    arc.failures['ListRoutingControls'] = [awsError('AccessDeniedException', 'denied')];
    await expect(
      throughCluster(guardless, targets, 'list', (c) => c.send(new ListRoutingControlsCommand({}))),
    ).rejects.toThrow('denied');
    expect(arcCalls().map((c) => c.region)).toEqual(['us-east-1']);
  });

  test('a server fault passes the call to the next endpoint', async () => {
    arc.failures['ListRoutingControls'] = [awsError('InternalServerException', 'oops')];
    const printed: string[] = [];
    await throughCluster(guardless, targets, 'list', (c) => c.send(new ListRoutingControlsCommand({})), {
      print: (l) => printed.push(l),
    });
    expect(arcCalls().map((c) => c.region)).toEqual(['us-east-1', 'us-west-2']);
    expect(printed.join('\n')).toMatch(/us-east-1 .* did not answer \(oops\); trying the next endpoint/);
  });

  test('no endpoint configured: a DrError saying where to copy them from', async () => {
    const bare = drTargets(resolvePlan(withArc({ enabled: true })));
    await expect(throughCluster(clients, bare, 'list', async () => 1)).rejects.toThrow(
      /no endpoint of the ARC cluster mi-production-arc is configured: copy the global stack output recovery_control_cluster_endpoints/,
    );
  });

  test('every endpoint in the excluded region: a DrError naming it', async () => {
    const one = drTargets(resolvePlan(withArc({ enabled: true, gateTraffic: true, clusterEndpoints: [ENDPOINTS[0]] })));
    await expect(throughCluster(clients, one, 'list', async () => 1, { exclude: 'us-east-1' })).rejects.toThrow(
      /every configured endpoint .* is in us-east-1, the excluded region/,
    );
  });

  test('recoveryControl off: a DrError, not a crash', async () => {
    await expect(throughCluster(clients, drTargets(resolvePlan(threeRegions)), 'list', async () => 1)).rejects.toThrow(
      DrError,
    );
  });

  test('clients without an ARC client: a DrError', async () => {
    await expect(throughCluster(drClients, targets, 'list', async () => 1)).rejects.toThrow(/no ARC cluster client/);
  });

  test('stateOf: the state of a region, or a DrError naming a region without one', () => {
    const states = [{ region: 'eu-west', name: 'n', arn: 'a', on: true }];
    expect(stateOf(states, euWest)).toBe(states[0]);
    expect(() => stateOf(states, usEast)).toThrow(new DrError('no routing control state for us-east'));
  });

  test('updateInput sets each control On or Off in one request', () => {
    expect(
      updateInput([
        { arn: 'a', on: true },
        { arn: 'b', on: false },
      ]),
    ).toEqual({
      UpdateRoutingControlStateEntries: [
        { RoutingControlArn: 'a', RoutingControlState: 'On' },
        { RoutingControlArn: 'b', RoutingControlState: 'Off' },
      ],
    });
  });
});

describe('a routing control the cluster does not have', () => {
  test('status names it and asks whether the global stack is deployed with recoveryControl', async () => {
    arcMock.on(ListRoutingControlsCommand).resolves({ RoutingControls: [] });
    const { code, out } = await run(['status']);
    expect(code).toBe(1);
    expect(out).toMatch(
      /no routing control mi-production-us-east-traffic in control panel mi-production-traffic of the ARC cluster mi-production-arc: is the global stack deployed with traffic.recoveryControl\?/,
    );
  });
});
