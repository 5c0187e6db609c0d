import { ConfigError } from '../src/config/errors';
import { resolvePlan } from '../src/plan/resolve';
import { production } from '../src/config/environments/production';
import { staging } from '../src/config/environments/staging';
import type { PlatformConfig } from '../src/config/types';
import { failoverBudgets, formatBudgetTable, routedRecordTtl, type BudgetInput } from '../src/plan/budget';
import { type Mutable, variant } from './support/config';

function input(over: {
  interval?: number;
  failures?: number;
  target?: 'alias' | 'cname';
  ttl?: number;
  timeout?: number;
  attempts?: number;
  read?: number;
  rto?: number;
}): BudgetInput {
  return {
    traffic: {
      recordTarget: over.target ?? 'cname',
      recordTtlSeconds: over.ttl ?? 30,
      healthCheck: {
        resourcePath: '/actuator/health/readiness',
        requestIntervalSeconds: over.interval ?? 10,
        failureThreshold: over.failures ?? 2,
        measureLatency: true,
        checkerRegions: ['us-east-1', 'eu-west-1', 'ap-southeast-1'],
      },
    },
    edge: {
      originConnectionTimeoutSeconds: over.timeout ?? 5,
      originConnectionAttempts: over.attempts ?? 2,
      originReadTimeoutSeconds: over.read ?? 30,
    },
    recovery: { rtoSeconds: over.rto ?? 60 },
  };
}

describe('failover budget arithmetic', () => {
  test.each<[string, Parameters<typeof input>[0], number, number]>([
    ['production defaults: 10 x 2 + 30 (CNAME); 5 x 2 + 30 read', {}, 50, 40],
    ['seed 000: 30 x 3 + 60 (alias)', { interval: 30, failures: 3, target: 'alias' }, 150, 40],
    ['seed 001: 30 x 2 + 60 (alias)', { interval: 30, failures: 2, target: 'alias' }, 120, 40],
    ['alias ignores the configured TTL', { target: 'alias', ttl: 5 }, 80, 40],
    ['CloudFront 10 s x 3 attempts + 30 s read', { timeout: 10, attempts: 3 }, 50, 60],
    ['CloudFront read timeout counts in full', { timeout: 1, attempts: 1, read: 60 }, 50, 61],
  ])('%s', (_name, over, dns, cloudfront) => {
    const [d, c] = failoverBudgets(input(over));
    expect(d.path).toBe('dns');
    expect(d.worstCaseSeconds).toBe(dns);
    expect(c.path).toBe('cloudfront');
    expect(c.worstCaseSeconds).toBe(cloudfront);
  });

  test('an ALB alias is answered with a 60 s TTL, a CNAME with its own', () => {
    expect(routedRecordTtl(input({ target: 'alias', ttl: 5 }).traffic)).toBe(60);
    expect(routedRecordTtl(input({ target: 'cname', ttl: 5 }).traffic)).toBe(5);
  });

  test('the arithmetic is spelled out and compared with the RTO', () => {
    const [dns, edge] = failoverBudgets(input({ interval: 30, failures: 3, target: 'alias' }));
    expect(dns.arithmetic).toBe('30 s interval x 3 failures + 60 s TTL (ALB alias, fixed) = 150 s');
    expect(dns.withinRto).toBe(false);
    expect(edge.arithmetic).toBe('5 s connection timeout x 2 attempts + 30 s read timeout = 40 s');
    expect(edge.withinRto).toBe(true);
    expect(edge.fields).toBe(
      'edge.originConnectionTimeoutSeconds, edge.originConnectionAttempts, edge.originReadTimeoutSeconds',
    );
  });

  test('exactly the RTO is within it', () => {
    expect(failoverBudgets(input({ interval: 10, failures: 3, ttl: 30 }))[0].withinRto).toBe(true);
    expect(failoverBudgets(input({ interval: 10, failures: 3, ttl: 31 }))[0].withinRto).toBe(false);
  });

  test('CloudFront: a slow origin (connects, never answers) is part of the worst case, judged against the RTO', () => {
    // 5 s x 2 + 50 s = 60 s: exactly the RTO; one more second of read timeout is over it.
    const at = failoverBudgets(input({ read: 50 }))[1];
    expect([at.worstCaseSeconds, at.withinRto]).toEqual([60, true]);
    const over = failoverBudgets(input({ read: 51 }))[1];
    expect([over.worstCaseSeconds, over.withinRto]).toEqual([61, false]);
  });

  test('the report table lists every path with its verdict', () => {
    const table = formatBudgetTable(failoverBudgets(input({ interval: 30, failures: 3, target: 'alias' })));
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^path\s+serves\s+worst case\s+RTO\s+ok$/);
    expect(lines[2]).toMatch(/^dns .*= 150 s\s+60 s\s+NO$/);
    expect(lines[3]).toMatch(/^cloudfront .*\+ 30 s read timeout = 40 s\s+60 s\s+yes$/);
  });
});

describe('configurations whose worst case exceeds the RTO are refused', () => {
  test.each([production, staging].map((c) => [c.environment, c] as const))(
    '%s meets its RTO on every path',
    (_name, config) => {
      expect(failoverBudgets(config).filter((b) => !b.withinRto)).toEqual([]);
    },
  );

  test.each<[string, (c: Mutable<PlatformConfig>) => void, RegExp]>([
    [
      "the seeds' 30 s x 3 failures + 60 s alias TTL against a 60 s RTO",
      (c) => {
        c.traffic.recordTarget = 'alias';
        c.traffic.healthCheck.requestIntervalSeconds = 30;
        c.traffic.healthCheck.failureThreshold = 3;
      },
      /recovery\.rtoSeconds: got 60; expected the worst-case dns failover within the RTO, but 30 s interval x 3 failures \+ 60 s TTL \(ALB alias, fixed\) = 150 s > 60 s; lower traffic\.healthCheck\.requestIntervalSeconds/,
    ],
    [
      'a CNAME TTL that eats the margin',
      (c) => {
        c.traffic.recordTtlSeconds = 45;
      },
      /10 s interval x 2 failures \+ 45 s TTL \(CNAME\) = 65 s > 60 s/,
    ],
    [
      'a tighter RTO',
      (c) => {
        c.recovery.rtoSeconds = 30;
      },
      /recovery\.rtoSeconds: got 30; .*= 50 s > 30 s/,
    ],
    [
      'CloudFront connection attempts beyond the RTO (DNS within it)',
      (c) => {
        c.recovery.rtoSeconds = 25;
        c.traffic.healthCheck.failureThreshold = 1;
        c.traffic.recordTtlSeconds = 10;
        c.edge.originConnectionTimeoutSeconds = 10;
        c.edge.originConnectionAttempts = 3;
        c.edge.originReadTimeoutSeconds = 1;
      },
      /recovery\.rtoSeconds: got 25; expected the worst-case cloudfront failover within the RTO, but 10 s connection timeout x 3 attempts \+ 1 s read timeout = 31 s > 25 s; lower edge\.originConnectionTimeoutSeconds, edge\.originConnectionAttempts, edge\.originReadTimeoutSeconds/,
    ],
    [
      "production's connection terms with a read timeout one second over the RTO (5 s x 2 + 51 s)",
      (c) => {
        c.edge.originReadTimeoutSeconds = 51;
      },
      /recovery\.rtoSeconds: got 60; expected the worst-case cloudfront failover within the RTO, but 5 s connection timeout x 2 attempts \+ 51 s read timeout = 61 s > 60 s; lower .*edge\.originReadTimeoutSeconds, or raise the RTO/,
    ],
  ])('%s', (_name, change, message) => {
    const config = variant(change);
    expect(() => resolvePlan(config)).toThrow(ConfigError);
    expect(() => resolvePlan(config)).toThrow(message);
  });

  test('production is accepted with a read timeout that brings CloudFront exactly to the RTO (5 s x 2 + 50 s)', () => {
    const plan = resolvePlan(variant((c) => (c.edge.originReadTimeoutSeconds = 50)));
    expect(plan.traffic.budgets.find((b) => b.path === 'cloudfront')).toEqual(
      expect.objectContaining({ worstCaseSeconds: 60, rtoSeconds: 60, withinRto: true }),
    );
  });

  test('a budget is not judged while one of its terms is itself invalid', () => {
    const config = variant((c) => {
      c.traffic.healthCheck.requestIntervalSeconds = 20;
      c.traffic.recordTarget = 'alias';
    });
    let issues: ConfigError['issues'] = [];
    try {
      resolvePlan(config);
    } catch (error) {
      issues = (error as ConfigError).issues;
    }
    expect(issues.map((i) => i.path)).toEqual(['traffic.healthCheck.requestIntervalSeconds']);
  });
});
