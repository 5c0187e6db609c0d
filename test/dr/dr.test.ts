import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeGlobalReplicationGroupsCommand,
  FailoverGlobalReplicationGroupCommand,
} from '@aws-sdk/client-elasticache';
import { DescribeGlobalClustersCommand, type RDSClient, SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import {
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListHealthChecksCommand,
  ListHostedZonesByNameCommand,
  ListTagsForResourcesCommand,
  TestDNSAnswerCommand,
  UpdateHealthCheckCommand,
} from '@aws-sdk/client-route-53';

import 'aws-sdk-client-mock-jest';
import { runDr } from '../../src/dr/cli';
import { drClients, fakeClock, observations, sdkMocks } from '../support/dr-mocks';
import { threeRegions } from '../support/config';

// production's three seed regions (threeRegions): mi-production, us-east (primary) / eu-west / apac, domain 254carbon.com
const ARN = (region: string, key: string) => `arn:aws:rds:${region}:111122223333:cluster:mi-production-${key}-aurora`;
const HC = { 'us-east': 'hc-use', 'eu-west': 'hc-euw', apac: 'hc-apac' } as const;

const { rds, cache, r53, cw } = sdkMocks();

const clients = drClients;

function globalCluster(writer: 'us-east-1' | 'eu-west-1', status = 'available') {
  return {
    GlobalClusters: [
      {
        Status: status,
        GlobalClusterMembers: [
          { DBClusterArn: ARN('us-east-1', 'us-east'), IsWriter: writer === 'us-east-1' },
          { DBClusterArn: ARN('eu-west-1', 'eu-west'), IsWriter: writer === 'eu-west-1' },
          { DBClusterArn: ARN('ap-southeast-1', 'apac'), IsWriter: false },
        ],
      },
    ],
  };
}

function datastore(primary: string) {
  return {
    GlobalReplicationGroups: [
      {
        GlobalReplicationGroupId: 'ldgnf-mi-production-cache',
        Status: 'available',
        Members: [
          {
            ReplicationGroupId: 'mi-production-us-east-cache',
            ReplicationGroupRegion: 'us-east-1',
            Role: primary === 'us-east-1' ? 'PRIMARY' : 'SECONDARY',
            Status: 'associated',
          },
          {
            ReplicationGroupId: 'mi-production-eu-west-cache',
            ReplicationGroupRegion: 'eu-west-1',
            Role: primary === 'eu-west-1' ? 'PRIMARY' : 'SECONDARY',
            Status: 'associated',
          },
        ],
      },
    ],
  };
}

function healthChecks(inverted: Partial<Record<string, boolean>> = {}) {
  r53
    .on(ListHealthChecksCommand)
    .resolves({ HealthChecks: Object.values(HC).map((Id) => ({ Id })) as never, IsTruncated: false });
  r53.on(ListTagsForResourcesCommand).resolves({
    ResourceTagSets: Object.entries(HC).map(([key, id]) => ({
      ResourceType: 'healthcheck',
      ResourceId: id,
      Tags: [{ Key: 'Name', Value: `mi-production-api-${key}` }],
    })),
  });
  for (const id of Object.values(HC)) {
    r53.on(GetHealthCheckCommand, { HealthCheckId: id }).resolves({
      HealthCheck: { Id: id, HealthCheckConfig: { Type: 'HTTPS', Inverted: inverted[id] ?? false } } as never,
    });
    r53.on(GetHealthCheckStatusCommand, { HealthCheckId: id }).resolves(observations(true));
  }
}

async function run(...argv: string[]) {
  const lines: string[] = [];
  const errors: string[] = [];
  const code = await runDr(argv, {
    env: {},
    // The three-region topology the mocks below answer for, whatever production lists.
    config: threeRegions,
    clients,
    clock: fakeClock(),
    out: (l) => lines.push(l),
    err: (l) => errors.push(l),
  });
  return { code, out: lines.join('\n'), err: errors.join('\n') };
}

beforeEach(() => {
  rds.reset();
  cache.reset();
  r53.reset();
  cw.reset();
  rds.on(DescribeGlobalClustersCommand).resolves(globalCluster('us-east-1'));
  cache.on(DescribeGlobalReplicationGroupsCommand).resolves(datastore('us-east-1'));
  cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'm', Values: [850, 400] }] });
  healthChecks();
});

describe('dr status', () => {
  test('reports the writer, lags and health checks, exit 0 when all is well', async () => {
    const { code, out } = await run('status');
    expect(code).toBe(0);
    expect(out).toMatch(/Aurora global cluster mi-production-aurora: available, writer in us-east-1/);
    expect(out).toMatch(/eu-west-1 mi-production-eu-west-aurora: replication lag 850 ms/);
    expect(out).toMatch(/ElastiCache global datastore ldgnf-mi-production-cache: available, primary in us-east-1/);
    expect(out).toMatch(/us-east \(hc-use\): HEALTHY, checkers 8\/8/);
    expect(rds).toHaveReceivedCommandWith(DescribeGlobalClustersCommand, {
      GlobalClusterIdentifier: 'mi-production-aurora',
    });
    expect(cw).toHaveReceivedCommandWith(GetMetricDataCommand, {
      MetricDataQueries: [
        expect.objectContaining({
          MetricStat: expect.objectContaining({
            Metric: expect.objectContaining({ MetricName: 'AuroraGlobalDBReplicationLag' }),
          }),
        }),
      ],
    });
  });

  test('--json prints the same facts as one JSON document on stdout', async () => {
    const { code, out, err } = await run('status', '--json');
    expect(code).toBe(0);
    expect(err).toMatch(/Aurora global cluster mi-production-aurora: available/);
    const report = JSON.parse(out) as {
      ok: boolean;
      aurora: { writerRegion: string; members: { region: string; replicationLagMs: number | null }[] };
      cache: { primaryRegion: string };
      healthChecks: { region: string; id: string; healthy: boolean; fenced: boolean }[];
    };
    expect(report.ok).toBe(true);
    expect(report.aurora.writerRegion).toBe('us-east-1');
    expect(report.aurora.members.map((m) => [m.region, m.replicationLagMs])).toEqual([
      ['us-east-1', null],
      ['eu-west-1', 850],
      ['ap-southeast-1', 850],
    ]);
    expect(report.cache.primaryRegion).toBe('us-east-1');
    expect(report.healthChecks.map((h) => [h.region, h.id, h.healthy, h.fenced])).toEqual([
      ['us-east', 'hc-use', true, false],
      ['eu-west', 'hc-euw', true, false],
      ['apac', 'hc-apac', true, false],
    ]);
  });

  test('--exclude reads through a surviving region and never calls the excluded one', async () => {
    const regions = new Set<string>();
    for (const mock of [rds, cache, cw]) {
      for (const call of mock.calls()) regions.add(await (call.thisValue as RDSClient).config.region());
    }
    expect(regions.size).toBe(0);
    const { code, out } = await run('status', '--exclude', 'us-east');
    expect(code).toBe(0);
    expect(out).toMatch(/Not calling us-east \(us-east-1\); reading through eu-west/);
    for (const mock of [rds, cache, cw]) {
      for (const call of mock.calls()) regions.add(await (call.thisValue as RDSClient).config.region());
    }
    expect([...regions].sort()).toEqual(['ap-southeast-1', 'eu-west-1']);
  });

  test('exits 1 when a region is unhealthy', async () => {
    r53.on(GetHealthCheckStatusCommand, { HealthCheckId: HC.apac }).resolves(observations(false));
    const { code, out } = await run('status');
    expect(code).toBe(1);
    expect(out).toMatch(/apac \(hc-apac\): UNHEALTHY, checkers 0\/8/);
  });

  test('tells the operator what is missing when the global cluster does not exist', async () => {
    rds
      .on(DescribeGlobalClustersCommand)
      .rejects(Object.assign(new Error('nope'), { name: 'GlobalClusterNotFoundFault' }));
    const { code, err } = await run('status');
    expect(code).toBe(1);
    expect(err).toMatch(
      /Aurora global cluster mi-production-aurora not found .*are the global and data stacks deployed/,
    );
  });
});

describe('dr switchover', () => {
  test('dry run prints the planned calls and changes nothing', async () => {
    const { code, out } = await run('switchover', '--to', 'eu-west');
    expect(code).toBe(0);
    expect(out).toMatch(/DRY RUN/);
    expect(out).toMatch(/would call route53:UpdateHealthCheck \{"HealthCheckId":"hc-use","Inverted":true\}/);
    expect(out).toMatch(
      /would call rds:SwitchoverGlobalCluster \(eu-west-1\) .*"TargetDbClusterIdentifier":"arn:aws:rds:eu-west-1:111122223333:cluster:mi-production-eu-west-aurora"/,
    );
    expect(out).toMatch(
      /would call elasticache:FailoverGlobalReplicationGroup .*"PrimaryReplicationGroupId":"mi-production-eu-west-cache"/,
    );
    expect(rds).not.toHaveReceivedCommand(SwitchoverGlobalClusterCommand);
    expect(cache).not.toHaveReceivedCommand(FailoverGlobalReplicationGroupCommand);
    expect(r53).not.toHaveReceivedCommand(UpdateHealthCheckCommand);
  });

  test('--execute drains, switches Aurora and ElastiCache, waits, restores', async () => {
    rds
      .on(DescribeGlobalClustersCommand)
      .resolvesOnce(globalCluster('us-east-1'))
      .resolvesOnce(globalCluster('us-east-1', 'switching-over'))
      .resolves(globalCluster('eu-west-1'));
    cache
      .on(DescribeGlobalReplicationGroupsCommand)
      .resolvesOnce(datastore('us-east-1'))
      .resolves(datastore('eu-west-1'));
    const { code, out } = await run('switchover', '--to', 'eu-west-1', '--execute');
    expect(code).toBe(0);
    expect(rds).toHaveReceivedCommandWith(SwitchoverGlobalClusterCommand, {
      GlobalClusterIdentifier: 'mi-production-aurora',
      TargetDbClusterIdentifier: ARN('eu-west-1', 'eu-west'),
    });
    expect(cache).toHaveReceivedCommandWith(FailoverGlobalReplicationGroupCommand, {
      GlobalReplicationGroupId: 'ldgnf-mi-production-cache',
      PrimaryRegion: 'eu-west-1',
      PrimaryReplicationGroupId: 'mi-production-eu-west-cache',
    });
    expect(r53).toHaveReceivedNthSpecificCommandWith(1, UpdateHealthCheckCommand, {
      HealthCheckId: 'hc-use',
      Inverted: true,
    });
    expect(r53).toHaveReceivedNthSpecificCommandWith(2, UpdateHealthCheckCommand, {
      HealthCheckId: 'hc-use',
      Inverted: false,
    });
    expect(out).toMatch(/Aurora writer in eu-west-1 after 10 s/);
  });

  test('restores the drained health check when the switchover fails', async () => {
    rds
      .on(SwitchoverGlobalClusterCommand)
      .rejects(Object.assign(new Error('busy'), { name: 'InvalidGlobalClusterStateFault', $metadata: {} }));
    const { code, err } = await run('switchover', '--to', 'eu-west', '--execute');
    expect(code).toBe(1);
    expect(err).toMatch(/^AWS answered InvalidGlobalClusterStateFault: busy/);
    expect(err).not.toMatch(/\n\s+at /);
    expect(r53).toHaveReceivedNthSpecificCommandWith(2, UpdateHealthCheckCommand, {
      HealthCheckId: 'hc-use',
      Inverted: false,
    });
    expect(cache).not.toHaveReceivedCommand(FailoverGlobalReplicationGroupCommand);
  });

  test.each([
    [
      ['switchover', '--to', 'mars'],
      /--to mars: expected one of us-east \(us-east-1\), eu-west \(eu-west-1\), apac \(ap-southeast-1\)/,
    ],
    [['switchover', '--to', 'apac'], /ap-southeast-1 has no member replication group in ldgnf-mi-production-cache/],
  ])('refuses %j with an actionable error', async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(1);
    expect(err).toMatch(message);
  });
});

describe('dr drill', () => {
  beforeEach(() => {
    r53.on(ListHostedZonesByNameCommand).resolves({
      HostedZones: [
        { Id: '/hostedzone/Z123', Name: '254carbon.com.', CallerReference: 'x', Config: { PrivateZone: false } },
      ],
    });
    r53
      .on(TestDNSAnswerCommand, { RecordName: 'api-us-east.254carbon.com' })
      .resolves({ RecordData: ['192.0.2.1', '192.0.2.2'] } as never);
  });

  test('dry run prints the inversion and does not touch the health check', async () => {
    const { code, out } = await run('drill', '--region', 'us-east');
    expect(code).toBe(0);
    expect(out).toMatch(/would call route53:UpdateHealthCheck \{"HealthCheckId":"hc-use","Inverted":true\}/);
    expect(out).toMatch(/watching api\.254carbon\.com/);
    expect(r53).not.toHaveReceivedCommand(UpdateHealthCheckCommand);
  });

  test('--execute fails the region, measures detection and DNS move, restores and compares to the RTO', async () => {
    r53
      .on(GetHealthCheckStatusCommand, { HealthCheckId: HC['us-east'] })
      .resolvesOnce(observations(true)) // before the drill
      .resolvesOnce(observations(true)) // still healthy at 0 s
      .resolvesOnce(observations(true)) // 10 s
      .resolvesOnce(observations(false)) // 20 s: Route 53 sees the failure
      .resolvesOnce(observations(false)) // after restore: not yet healthy
      .resolves(observations(true));
    r53
      .on(TestDNSAnswerCommand, { RecordName: 'api.254carbon.com' })
      .resolvesOnce({ RecordData: ['192.0.2.1'] } as never)
      .resolves({ RecordData: ['198.51.100.7'] } as never);
    const { code, out } = await run('drill', '--region', 'us-east', '--execute', '--poll', '10');
    expect(code).toBe(0);
    expect(out).toMatch(/failure detected by Route 53: 20 s/);
    expect(out).toMatch(/traffic moved \(authoritative answer\): 30 s/);
    expect(out).toMatch(/back to healthy after restore: 10 s/);
    expect(out).toMatch(/WITHIN RTO: 30 s vs 60 s/);
    expect(r53).toHaveReceivedNthSpecificCommandWith(1, UpdateHealthCheckCommand, {
      HealthCheckId: 'hc-use',
      Inverted: true,
    });
    expect(r53).toHaveReceivedNthSpecificCommandWith(2, UpdateHealthCheckCommand, {
      HealthCheckId: 'hc-use',
      Inverted: false,
    });
  });

  /** us-east fails at once; the failover name keeps answering with it for `polls` polls (10 s apart). */
  function slowMove(polls: number) {
    r53
      .on(GetHealthCheckStatusCommand, { HealthCheckId: HC['us-east'] })
      .resolvesOnce(observations(true)) // before the drill
      .resolvesOnce(observations(false)) // 0 s: Route 53 sees the failure
      .resolves(observations(true));
    let answers = r53.on(TestDNSAnswerCommand, { RecordName: 'api.254carbon.com' });
    for (let i = 0; i < polls; i++) answers = answers.resolvesOnce({ RecordData: ['192.0.2.1'] } as never);
    answers.resolves({ RecordData: ['198.51.100.7'] } as never);
  }

  test('EXCEEDS: traffic that moves after the RTO (but within --timeout) fails the drill with exit 1, and restores', async () => {
    slowMove(7);
    const { code, out, err } = await run('drill', '--region', 'us-east', '--execute', '--rto', '60');
    // A wait of a minute or more says it is alive, once a minute.
    expect(err.split('\n').filter((l) => l.includes('still waiting'))).toEqual([
      '  ... still waiting (60 s of polling so far; --timeout bounds it)',
    ]);
    expect(out).toMatch(/failure detected by Route 53: 0 s/);
    expect(out).toMatch(/traffic moved \(authoritative answer\): 70 s/);
    expect(out).toMatch(/EXCEEDS RTO: 70 s vs 60 s/);
    expect(code).toBe(1);
    expect(r53).toHaveReceivedNthSpecificCommandWith(2, UpdateHealthCheckCommand, {
      HealthCheckId: 'hc-use',
      Inverted: false,
    });
  });

  test('traffic that moves exactly at the RTO is within it', async () => {
    slowMove(6);
    const { code, out } = await run('drill', '--region', 'us-east', '--execute', '--rto', '60');
    expect(out).toMatch(/WITHIN RTO: 60 s vs 60 s/);
    expect(code).toBe(0);
  });

  test('--rto defaults to 60 s', async () => {
    slowMove(7);
    const { code, out } = await run('drill', '--region', 'us-east', '--execute');
    expect(out).toMatch(/DR drill: failure of us-east \(us-east-1\), RTO 60 s$/m);
    expect(out).toMatch(/EXCEEDS RTO: 70 s vs 60 s/);
    expect(code).toBe(1);
  });

  test('a secondary region has no failover name to watch: detection is what is compared with the RTO', async () => {
    r53
      .on(GetHealthCheckStatusCommand, { HealthCheckId: HC['eu-west'] })
      .resolvesOnce(observations(true))
      .resolvesOnce(observations(true))
      .resolvesOnce(observations(false)) // 10 s
      .resolves(observations(true));
    const { code, out } = await run('drill', '--region', 'eu-west', '--execute', '--rto', '5');
    expect(out).toMatch(/no failover name to watch for a secondary region/);
    expect(out).not.toMatch(/traffic moved/);
    expect(out).toMatch(/EXCEEDS RTO: 10 s vs 5 s/);
    expect(code).toBe(1);
    expect(r53).not.toHaveReceivedCommand(TestDNSAnswerCommand);
    expect(r53).not.toHaveReceivedCommand(ListHostedZonesByNameCommand);
  });

  test('--record watches a name for a secondary region, asked with the client subnet', async () => {
    r53
      .on(TestDNSAnswerCommand, { RecordName: 'api-eu-west.254carbon.com' })
      .resolves({ RecordData: ['203.0.113.9'] } as never);
    r53
      .on(TestDNSAnswerCommand, { RecordName: 'eu.254carbon.com' })
      .resolvesOnce({ RecordData: ['203.0.113.9'] } as never)
      .resolves({ RecordData: ['192.0.2.1'] } as never);
    r53
      .on(GetHealthCheckStatusCommand, { HealthCheckId: HC['eu-west'] })
      .resolvesOnce(observations(true))
      .resolvesOnce(observations(false))
      .resolves(observations(true));
    const { code, out } = await run(
      'drill',
      '--region',
      'eu-west',
      '--execute',
      '--record',
      'eu.254carbon.com',
      '--client-subnet',
      '198.51.100.0',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/watching eu\.254carbon\.com \(CNAME\); eu-west answers 203\.0\.113\.9/);
    expect(out).toMatch(/traffic moved \(authoritative answer\): 10 s/);
    expect(r53).toHaveReceivedCommandWith(TestDNSAnswerCommand, {
      HostedZoneId: 'Z123',
      RecordName: 'eu.254carbon.com',
      RecordType: 'CNAME',
      EDNS0ClientSubnetIP: '198.51.100.0',
    });
  });

  test('refuses a region that is already unhealthy, before touching its check', async () => {
    r53.on(GetHealthCheckStatusCommand, { HealthCheckId: HC.apac }).resolves(observations(false));
    const { code, err } = await run('drill', '--region', 'apac', '--execute');
    expect(code).toBe(1);
    expect(err).toMatch(/apac is already unhealthy \(checkers 0\/8\): no drill on a failing region/);
    expect(r53).not.toHaveReceivedCommand(UpdateHealthCheckCommand);
  });

  test('gives up after --timeout when traffic never moves, and still restores', async () => {
    r53
      .on(GetHealthCheckStatusCommand, { HealthCheckId: HC['us-east'] })
      .resolvesOnce(observations(true))
      .resolvesOnce(observations(false))
      .resolves(observations(true));
    r53.on(TestDNSAnswerCommand, { RecordName: 'api.254carbon.com' }).resolves({ RecordData: ['192.0.2.1'] } as never);
    const { code, err } = await run('drill', '--region', 'us-east', '--execute', '--timeout', '120', '--rto', '60');
    expect(code).toBe(1);
    expect(err).toMatch(/timed out after 120 s waiting for api\.254carbon\.com to stop answering with us-east/);
    expect(r53).toHaveReceivedNthSpecificCommandWith(2, UpdateHealthCheckCommand, {
      HealthCheckId: 'hc-use',
      Inverted: false,
    });
  });

  test('refuses to start when the check is already inverted', async () => {
    healthChecks({ [HC['eu-west']]: true });
    const { code, err } = await run('drill', '--region', 'eu-west', '--execute');
    expect(code).toBe(1);
    expect(err).toMatch(/already inverted: another drill may be running.*--no-inverted/);
    expect(r53).not.toHaveReceivedCommand(UpdateHealthCheckCommand);
  });
});

describe('dr usage', () => {
  test.each([
    [[]],
    [['explode']],
    [['status', '--bogus']],
    [['switchover']],
    [['drill']],
    [['failover']],
    [['drill', '--region', 'us-east', '--poll', '0']],
    [['drill', '--region', 'us-east', '--timeout', 'soon']],
    [['drill', '--region', 'us-east', '--rto', '-5']],
    [['status', '--call-timeout', 'Infinity']],
  ])('%j prints usage and exits 2', async (...argv) => {
    const { code, out, err } = await run(...argv.flat());
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/Usage: npm run dr -- /);
  });

  test('without credentials it says that nothing reached AWS', async () => {
    rds
      .on(DescribeGlobalClustersCommand)
      .rejects(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      );
    const { code, err } = await run('status');
    expect(code).toBe(1);
    expect(err).toMatch(/^no AWS credentials found: nothing was sent to AWS .*aws sso login/);
    expect(err).not.toMatch(/refused/);
  });

  test('a call AWS refused is reported as such, with the permissions needed', async () => {
    rds
      .on(DescribeGlobalClustersCommand)
      .rejects(
        Object.assign(new Error('not authorized to perform rds:DescribeGlobalClusters'), { name: 'AccessDenied' }),
      );
    const { code, err } = await run('status');
    expect(code).toBe(1);
    expect(err).toMatch(/^AWS refused the call \(AccessDenied\): not authorized .*a role allowed to run DR operations/);
  });

  test('targets prints what the commands act on, offline, as JSON on request', async () => {
    const { code, out } = await run('targets', '--json');
    expect(code).toBe(0);
    const targets = JSON.parse(out) as { auroraGlobalCluster: string; regions: { key: string }[] };
    expect(targets.auroraGlobalCluster).toBe('mi-production-aurora');
    expect(targets.regions.map((r) => r.key)).toEqual(['us-east', 'eu-west', 'apac']);
    expect(rds).not.toHaveReceivedCommand(DescribeGlobalClustersCommand);
  });

  test('targets prints the names as text too', async () => {
    const { code, out } = await run('targets');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'API name (failover, CNAME records): api.254carbon.com',
      'Aurora global cluster: mi-production-aurora',
      'ElastiCache global datastore suffix: mi-production-cache',
    ]);
    expect(lines[3]).toMatch(
      /^ {2}us-east \(us-east-1, primary\): aurora mi-production-us-east-aurora, cache mi-production-us-east-cache, health check Name=\S+, probes api-us-east\.254carbon\.com$/,
    );
  });

  test('--help describes every command, its options, the environment and the exit status', async () => {
    const flat = (text: string) => text.replace(/\s+/g, ' ');
    const { code, out: raw } = await run('--help');
    const out = flat(raw);
    expect(code).toBe(0);
    for (const text of [
      'Usage: npm run dr -- ',
      'Disaster-recovery operations on the live platform of PLATFORM_ENV',
      'Changes are a dry run unless --execute is given. Runbook: docs/runbook.md.',
      'Print the names the DR commands act on',
      'Which region writes, replication lags, health-check states. Read-only.',
      'Unplanned failover when a region is lost',
      'Planned move of the write path',
      "Fail a region's health check, measure traffic moving away",
      'Environment:',
      'PLATFORM_ENV   production (default) or staging',
      'AWS_PROFILE    credentials come from the SDK default chain',
      'Exit status: 0 ok, 1 failure, unhealthy or over the RTO, 2 usage error.',
    ])
      expect([text, out.includes(flat(text))]).toEqual([text, true]);
    const help = async (...argv: string[]) => flat((await run(...argv, '--help')).out);
    expect(await help('status')).toContain(
      'region key or AWS code not to call (a lost region): read through the others',
    );
    const failoverHelp = await help('failover');
    for (const text of [
      'surviving region key or AWS code that becomes the writer',
      'the lost region (default: the region the configuration names primary)',
      'required with --execute: writes not yet replicated to --to',
    ])
      expect([text, failoverHelp.includes(text)]).toEqual([text, true]);
    expect(await help('switchover')).toContain('region key or AWS code that becomes the writer');
    const drillHelp = await help('drill');
    for (const text of [
      'region key or AWS code to fail',
      'DNS name to watch (default: the failover API name for the primary)',
      'client IP for latency/geo answers (TestDNSAnswer EDNS0 subnet)',
      'objective to compare against (default 60)',
    ])
      expect([text, drillHelp.includes(text)]).toEqual([text, true]);
  });

  test.each([
    ['switchover', 'switchover needs --to <region>'],
    ['drill', 'drill needs --region <region>'],
  ])('%s without its region says which option is missing', async (command, message) => {
    const { code, err } = await run(command);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  test('an unknown PLATFORM_ENV is reported like synth does', async () => {
    const errors: string[] = [];
    const code = await runDr(['status'], {
      env: { PLATFORM_ENV: 'moon' },
      clients,
      out: () => undefined,
      err: (l) => errors.push(l),
    });
    expect(code).toBe(1);
    expect(errors.join('\n')).toMatch(/PLATFORM_ENV.*moon/);
  });
});
