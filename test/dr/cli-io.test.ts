// The `npm run dr` entry (src/dr/cli.ts): what goes to stdout and stderr, line by line, and the
// exit codes, in-process against the stateful fake of test/support/dr-mocks.ts.
import { runDr } from '../../src/dr/cli';
import type { DrTargets } from '../../src/dr/targets';

import { threeRegions } from '../support/config';
import { awsError, drClients, fakeClock, type FakeAws, sdkMocks, fakeWorld } from '../support/dr-mocks';
import { fakeDns } from '../support/dr-dns';

const mocks = sdkMocks();
let targets: DrTargets;
let aws: FakeAws;

beforeEach(() => {
  ({ targets, aws } = fakeWorld(mocks, threeRegions));
  fakeDns(mocks.r53, aws, targets);
});

/** Runs a command; every call of the out and err writers is kept as it came (no joining). */
async function raw(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDr(argv, {
    env: {},
    config: threeRegions,
    clients: drClients,
    clock: fakeClock(),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out, err };
}

describe('dr output, line by line', () => {
  test('a multi-line JSON document reaches the out writer one line at a time, without a trailing empty line', async () => {
    const { code, out } = await raw('targets', '--json');
    expect(code).toBe(0);
    expect(out[0]).toBe('{');
    expect(out[1]).toBe('  "domainName": "254carbon.com",');
    expect(out[out.length - 1]).toBe('}');
    expect(out.every((l) => !l.includes('\n'))).toBe(true);
    expect(JSON.parse(out.join('\n'))).toEqual(JSON.parse(JSON.stringify(targets)));
  });

  test('a usage error reaches the err writer one line at a time, the blank line before the usage kept', async () => {
    const { code, err } = await raw('drill');
    expect(code).toBe(2);
    expect(err[0]).toBe('error: drill needs --region <region>');
    expect(err[1]).toBe('');
    expect(err[2]).toMatch(/^Usage: /);
    expect(err[err.length - 1]).not.toBe('');
    expect(err.every((l) => !l.includes('\n'))).toBe(true);
    expect(aws.calls).toEqual([]);
  });

  test('a failed failover: exit 1, the error and the command to run next as two lines on stderr', async () => {
    aws.down.add('us-east-1');
    aws.failures.FailoverGlobalCluster = [awsError('InvalidGlobalClusterStateFault', 'busy')];
    const { code, err } = await raw('failover', '--to', 'eu-west', '--execute', '--accept-data-loss');
    expect(code).toBe(1);
    expect(err).toEqual([
      'step 1 (aurora) failed: AWS answered InvalidGlobalClusterStateFault: busy',
      'Fix the cause, then run the same command again; it detects the steps already done and continues: npm run dr -- failover --to eu-west --from us-east --execute --accept-data-loss',
    ]);
  });

  test('a drill within the RTO exits 0; its narrative is on stdout', async () => {
    const { code, out, err } = await raw('drill', '--region', 'us-east', '--execute');
    expect(code).toBe(0);
    expect(out[0]).toBe('DR drill: failure of us-east (us-east-1), RTO 60 s');
    expect(out[out.length - 1]).toMatch(/^ {2}WITHIN RTO: 0 s vs 60 s/);
    expect(err).toEqual([]);
  });

  test('--rto reaches the drill', async () => {
    const { out } = await raw('drill', '--region', 'us-east', '--rto', '45');
    expect(out[0]).toBe('DR drill: failure of us-east (us-east-1), RTO 45 s — DRY RUN, pass --execute to run');
  });

  test('a long wait prints that it is still waiting, once a minute of polling, on stderr', async () => {
    aws.cacheFailoverStartDescribes = 11;
    const { code, err } = await raw('switchover', '--to', 'eu-west', '--execute', '--poll', '10');
    expect(code).toBe(0);
    expect(err).toEqual([
      '  ... still waiting (60 s of polling so far; --timeout bounds it)',
      '  ... still waiting (120 s of polling so far; --timeout bounds it)',
    ]);
  });

  test('--help: the environment and the exit status on lines of their own, after a blank line', async () => {
    const { code, out } = await raw('--help');
    expect(code).toBe(0);
    const env = out.indexOf('Environment:');
    expect(env).toBeGreaterThan(0);
    expect(out.slice(env, env + 5)).toEqual([
      'Environment:',
      '  PLATFORM_ENV   production (default) or staging',
      '  AWS_PROFILE    credentials come from the SDK default chain (AWS_PROFILE, SSO, environment, instance role)',
      '',
      'Exit status: 0 ok, 1 failure, unhealthy or over the RTO, 2 usage error.',
    ]);
  });

  test('targets as text: one line per region, no routing control without recoveryControl', async () => {
    const { code, out } = await raw('targets');
    expect(code).toBe(0);
    expect(out.slice(0, 4)).toEqual([
      'API name (failover, CNAME records): api.254carbon.com',
      'Aurora global cluster: mi-production-aurora',
      'ElastiCache global datastore suffix: mi-production-cache',
      '  us-east (us-east-1, primary): aurora mi-production-us-east-aurora, cache mi-production-us-east-cache, health check Name=mi-production-api-us-east, probes api-us-east.254carbon.com',
    ]);
    expect(aws.calls).toEqual([]);
  });
});
