import {
  ELB_ALIAS_TTL_SECONDS,
  type EdgeConfig,
  type RecoveryObjectives,
  type TrafficConfig,
} from '../config/traffic-types';

/** Worst-case time to move traffic off a failed region along one path. */
export interface FailoverBudget {
  /** Short path id: `dns` or `cloudfront`. */
  readonly path: 'dns' | 'cloudfront';
  /** What the path serves. */
  readonly serves: string;
  /** The sum, spelled out. */
  readonly arithmetic: string;
  readonly worstCaseSeconds: number;
  readonly rtoSeconds: number;
  readonly withinRto: boolean;
  /** Config fields that set the terms, for the refusal message. */
  readonly fields: string;
}

export type BudgetInput = {
  readonly traffic: Pick<TrafficConfig, 'recordTarget' | 'recordTtlSeconds' | 'healthCheck'>;
  readonly edge: Pick<
    EdgeConfig,
    'originConnectionTimeoutSeconds' | 'originConnectionAttempts' | 'originReadTimeoutSeconds'
  >;
  readonly recovery: RecoveryObjectives;
};

/** TTL resolvers cache a routed answer for: the CNAME TTL, or the ALB's fixed 60 s for aliases. */
export function routedRecordTtl(traffic: BudgetInput['traffic']): number {
  return traffic.recordTarget === 'alias' ? ELB_ALIAS_TTL_SECONDS : traffic.recordTtlSeconds;
}

/**
 * Worst case per path, a pure function of config:
 * - DNS: every checker needs `failureThreshold` consecutive failed probes `requestInterval` apart
 *   before the record is withdrawn, then resolvers keep the old answer for up to one TTL.
 * - CloudFront: a request fails over to the second origin after `connectionAttempts` connection
 *   attempts of `connectionTimeout` each to the first (5xx responses fail over at once), or after
 *   `originReadTimeout` when the origin accepts the connection and never answers (a hung region:
 *   the load balancer is up, its targets are not responding). The worst case adds both: attempts
 *   time out until the last one connects, then the response never comes.
 */
export function failoverBudgets(input: BudgetInput): FailoverBudget[] {
  const { healthCheck } = input.traffic;
  const rto = input.recovery.rtoSeconds;
  const ttl = routedRecordTtl(input.traffic);
  const ttlSource = input.traffic.recordTarget === 'alias' ? 'TTL (ALB alias, fixed)' : 'TTL (CNAME)';
  const detection = healthCheck.requestIntervalSeconds * healthCheck.failureThreshold;
  const dns = detection + ttl;
  const {
    originConnectionTimeoutSeconds: timeout,
    originConnectionAttempts: attempts,
    originReadTimeoutSeconds: read,
  } = input.edge;
  const edge = timeout * attempts + read;
  return [
    {
      path: 'dns',
      serves: 'api, api-latency, api-geo, api-weighted, edge write paths',
      arithmetic: `${healthCheck.requestIntervalSeconds} s interval x ${healthCheck.failureThreshold} failures + ${ttl} s ${ttlSource} = ${dns} s`,
      worstCaseSeconds: dns,
      rtoSeconds: rto,
      withinRto: dns <= rto,
      fields:
        'traffic.healthCheck.requestIntervalSeconds, traffic.healthCheck.failureThreshold, traffic.recordTarget, traffic.recordTtlSeconds',
    },
    {
      path: 'cloudfront',
      serves: 'edge origin group (reads, per request)',
      arithmetic: `${timeout} s connection timeout x ${attempts} attempts + ${read} s read timeout = ${edge} s`,
      worstCaseSeconds: edge,
      rtoSeconds: rto,
      withinRto: edge <= rto,
      fields: 'edge.originConnectionTimeoutSeconds, edge.originConnectionAttempts, edge.originReadTimeoutSeconds',
    },
  ];
}

/** A short fixed-width table of the budgets, for `npm run report`. */
export function formatBudgetTable(budgets: readonly FailoverBudget[]): string {
  const header = ['path', 'serves', 'worst case', 'RTO', 'ok'];
  const rows = budgets.map((b) => [b.path, b.serves, b.arithmetic, `${b.rtoSeconds} s`, b.withinRto ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
