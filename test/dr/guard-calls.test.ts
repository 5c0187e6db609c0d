// How src/dr/guard.ts bounds one call and src/dr/routing-controls.ts walks the ARC cluster's
// endpoints, on plain fake clients (no SDK): what the caller gets back, what it waits, what it says.
import type { Route53RecoveryClusterClient } from '@aws-sdk/client-route53-recovery-cluster';
import type { DrClients } from '../../src/dr/clients';
import { guardedClients } from '../../src/dr/guard';
import {
  recoveryControlOf,
  routingControlStates,
  setRoutingControls,
  throughCluster,
} from '../../src/dr/routing-controls';
import { realClock } from '../../src/dr/clock';
import { DrError, type DrTargets } from '../../src/dr/targets';
import { awsError, drClients } from '../support/dr-mocks';

/** A command as the SDK names them: the API name with `Command` appended. */
class DescribeThingsCommand {}
/** An API whose own name contains "Command": only the suffix goes. */
class CommandLogsCommand {}

/** A client whose `send` answers with `answer` (a function of the abort signal it was given). */
function fakeClient(answer: (signal: AbortSignal | undefined) => Promise<unknown>) {
  const signals: (AbortSignal | undefined)[] = [];
  return {
    config: { region: 'eu-west-1' },
    signals,
    send: (_command: unknown, options?: { abortSignal?: AbortSignal }) => {
      signals.push(options?.abortSignal);
      return answer(options?.abortSignal);
    },
  };
}

/** Clients whose every service is `client`. */
function allOf(client: object): DrClients {
  const c = client as never;
  return { rds: () => c, elasticache: () => c, cloudwatch: () => c, route53: c, recoveryCluster: () => c };
}

const sleeps: number[] = [];
const clock = { now: () => 0, sleep: async (ms: number) => void sleeps.push(ms) };
beforeEach(() => {
  sleeps.length = 0;
});

const guard = (clients: DrClients, callTimeoutSeconds = 0.2) =>
  guardedClients(clients, { callTimeoutSeconds, attempts: 3, clock });

describe('a guarded call', () => {
  test('an answer inside the timeout is returned; the request carries an abort signal left untriggered', async () => {
    const client = fakeClient(() => new Promise((resolve) => setTimeout(() => resolve('answer'), 20)));
    const rds = guard(allOf(client), 0.2).rds('eu-west-1') as unknown as typeof client;
    await expect(rds.send(new DescribeThingsCommand())).resolves.toBe('answer');
    expect(client.signals).toHaveLength(1);
    expect(client.signals[0]).toBeInstanceOf(AbortSignal);
    expect(client.signals[0]!.aborted).toBe(false);
  });

  test('no answer within --call-timeout: the request is aborted and the error names the service, API and region', async () => {
    const client = fakeClient(() => new Promise(() => undefined));
    const rds = guard(allOf(client), 0.05).rds('eu-west-1') as unknown as typeof client;
    const started = Date.now();
    await expect(rds.send(new DescribeThingsCommand())).rejects.toThrow(
      new DrError(
        'rds:DescribeThings in eu-west-1 did not answer within 0.05 s (--call-timeout): that region or service may be impaired too',
      ),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(client.signals[0]!.aborted).toBe(true);
  });

  test('an answered call leaves no timer behind', async () => {
    jest.useFakeTimers();
    try {
      const client = fakeClient(() => Promise.resolve('answer'));
      const rds = guard(allOf(client), 30).rds('eu-west-1') as unknown as typeof client;
      await expect(rds.send(new DescribeThingsCommand())).resolves.toBe('answer');
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  test('only the API suffix "Command" is dropped from the name', async () => {
    const client = fakeClient(() => Promise.reject(awsError('ThrottlingException', 'slow down')));
    const logs = guard(allOf(client)).cloudwatch('eu-west-1') as unknown as typeof client;
    await expect(logs.send(new CommandLogsCommand())).rejects.toThrow(
      /^AWS throttled cloudwatch:CommandLogs in eu-west-1 3 times \(ThrottlingException\)/,
    );
    expect(sleeps).toEqual([1000, 2000]);
  });

  test("the client's other properties are the client's own", () => {
    const client = fakeClient(() => Promise.resolve('answer'));
    const rds = guard(allOf(client)).rds('eu-west-1') as unknown as typeof client;
    expect(rds.config).toEqual({ region: 'eu-west-1' });
    expect(rds.signals).toBe(client.signals);
  });

  test('an ARC endpoint that does not answer is named by its URL and region', async () => {
    const client = fakeClient(() => new Promise(() => undefined));
    const arc = guard(allOf(client), 0.05).recoveryCluster!({
      region: 'us-west-2',
      endpoint: 'https://a.route53-recovery-cluster.us-west-2.amazonaws.com/v1',
    }) as unknown as typeof client;
    await expect(arc.send(new DescribeThingsCommand())).rejects.toThrow(
      new DrError(
        'route53-recovery-cluster:DescribeThings in the ARC cluster endpoint https://a.route53-recovery-cluster.us-west-2.amazonaws.com/v1 (us-west-2) did not answer within 0.05 s (--call-timeout): that region or service may be impaired too',
      ),
    );
  });
});

describe("calls through the ARC cluster's endpoints", () => {
  const endpoint = (region: string) => ({ region, endpoint: `https://${region}.example/v1` });
  const targets = (regions: string[]) =>
    ({
      recoveryControl: {
        clusterName: 'mi-production-arc',
        controlPanelName: 'mi-production',
        gateTraffic: true,
        clusterEndpoints: regions.map(endpoint),
        safetyRuleWaitMs: 5000,
      },
    }) as unknown as DrTargets;
  /** Clients whose ARC client for each endpoint is the endpoint's region. */
  const clients: DrClients = {
    ...drClients,
    recoveryCluster: (e) => e.region as unknown as Route53RecoveryClusterClient,
  };
  const asRegion = (client: Route53RecoveryClusterClient) => client as unknown as string;

  test('without routing controls configured there is nothing to call', () => {
    expect(() => recoveryControlOf({} as DrTargets)).toThrow(
      new DrError('traffic.recoveryControl is not enabled in this environment: there are no routing controls'),
    );
  });

  test('an endpoint that does not answer passes the call on and says so; the last one that fails says nothing more', async () => {
    const printed: string[] = [];
    const tried: string[] = [];
    const call = (client: Route53RecoveryClusterClient) => {
      tried.push(asRegion(client));
      return Promise.reject(new Error(`${asRegion(client)} timed out`));
    };
    await expect(
      throughCluster(clients, targets(['us-east-1', 'us-west-2', 'eu-west-1']), 'the test call', call, {
        print: (line) => printed.push(line),
      }),
    ).rejects.toThrow(
      new DrError(
        'the test call: no endpoint of the ARC cluster mi-production-arc answered (ARC endpoint us-east-1 (https://us-east-1.example/v1): us-east-1 timed out; ARC endpoint us-west-2 (https://us-west-2.example/v1): us-west-2 timed out; ARC endpoint eu-west-1 (https://eu-west-1.example/v1): eu-west-1 timed out). Check the endpoints in traffic.recoveryControl.clusterEndpoints against the global stack output recovery_control_cluster_endpoints, credentials and network, then run the same command again',
      ),
    );
    expect(tried).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(printed).toEqual([
      '  ARC endpoint us-east-1 (https://us-east-1.example/v1) did not answer (us-east-1 timed out); trying the next endpoint',
      '  ARC endpoint us-west-2 (https://us-west-2.example/v1) did not answer (us-west-2 timed out); trying the next endpoint',
    ]);
  });

  test('conflicts back off 1 s, then 2 s, on the same endpoint, and say so', async () => {
    const printed: string[] = [];
    let calls = 0;
    const call = (client: Route53RecoveryClusterClient) =>
      ++calls <= 2 ? Promise.reject(awsError('ConflictException', 'busy')) : Promise.resolve(asRegion(client));
    await expect(
      throughCluster(clients, targets(['us-west-2', 'eu-west-1']), 'the test call', call, {
        print: (line) => printed.push(line),
        clock,
      }),
    ).resolves.toBe('us-west-2');
    expect(sleeps).toEqual([1000, 2000]);
    expect(printed).toEqual([
      '  ARC endpoint us-west-2 (https://us-west-2.example/v1): conflict (busy); trying again in 1 s',
      '  ARC endpoint us-west-2 (https://us-west-2.example/v1): conflict (busy); trying again in 2 s',
    ]);
  });

  test('without a printer or a clock the same calls still go through', async () => {
    let calls = 0;
    const call = (client: Route53RecoveryClusterClient) =>
      ++calls === 1
        ? Promise.reject(new Error('no answer'))
        : calls === 2
          ? Promise.reject(awsError('ConflictException', 'busy'))
          : Promise.resolve(asRegion(client));
    await expect(throughCluster(clients, targets(['us-east-1', 'us-west-2']), 'the test call', call)).resolves.toBe(
      'us-west-2',
    );
  });

  test.each([
    'AccessDeniedException',
    'ResourceNotFoundException',
    'ValidationException',
    'ServiceLimitExceededException',
  ])('an endpoint answering %s ends the call: another endpoint would answer the same', async (name) => {
    const tried: string[] = [];
    const call = (client: Route53RecoveryClusterClient) => {
      tried.push(asRegion(client));
      return Promise.reject(awsError(name, 'refused'));
    };
    await expect(
      throughCluster(clients, targets(['us-west-2', 'eu-west-1']), 'the test call', call),
    ).rejects.toMatchObject({ name, message: 'refused' });
    expect(tried).toEqual(['us-west-2']);
  });

  test('reading and setting the controls name their API when no endpoint answers', async () => {
    const down: DrClients = {
      ...drClients,
      recoveryCluster: () =>
        ({ send: () => Promise.reject(new Error('no answer')) }) as unknown as Route53RecoveryClusterClient,
    };
    await expect(routingControlStates(down, targets(['us-west-2']))).rejects.toThrow(
      /^route53-recovery-cluster:ListRoutingControls: no endpoint of the ARC cluster mi-production-arc answered/,
    );
    await expect(
      setRoutingControls(down, targets(['us-west-2']), { UpdateRoutingControlStateEntries: [] }),
    ).rejects.toThrow(
      /^route53-recovery-cluster:UpdateRoutingControlStates: no endpoint of the ARC cluster mi-production-arc answered/,
    );
  });
});

test('the real clock reads the time and sleeps for real', async () => {
  const before = Date.now();
  expect(Math.abs(realClock.now() - before)).toBeLessThan(1000);
  await realClock.sleep(30);
  expect(realClock.now() - before).toBeGreaterThanOrEqual(25);
});
