// The Aurora RPO lag alarm (issue 14): AuroraGlobalDBRPOLag is what an unplanned failover with
// AllowDataLoss loses; every region alarms on its own member (only a secondary reports it, so the
// same alarm is right before and after a switchover). Namespace and dimensions are checked against
// the metric catalog by test/metric-catalog.test.ts.
import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { AWS_METRICS } from './support/aws-metrics';
import { defaultSynth } from './support/shared-synth';
import { resources } from './support/stack-json';

const plan = resolvePlan(production);

describe('Aurora RPO lag alarm (production)', () => {
  const synth = defaultSynth('production');

  test('the catalog knows the metric with the cluster dimension, as the DR failover reads it', () => {
    expect(AWS_METRICS['AWS/RDS'].AuroraGlobalDBRPOLag).toContainEqual(['DBClusterIdentifier']);
  });

  test.each(plan.regions.map((r) => [r.key, r] as const))(
    '%s: RPO lag of its own member over the replication-lag threshold warns; no data is not breaching',
    (_key, region) => {
      const alarms = resources(synth.stack(region.stackIds.regional), 'aws_cloudwatch_metric_alarm').filter(
        (a) => a.metric_name === 'AuroraGlobalDBRPOLag',
      );
      expect(alarms).toEqual([
        expect.objectContaining({
          alarm_name: `${region.names.base}-aurora-rpo-lag`,
          namespace: 'AWS/RDS',
          statistic: 'Maximum',
          dimensions: { DBClusterIdentifier: region.names.auroraCluster },
          threshold: production.observability.thresholds.auroraReplicationLagMs,
          comparison_operator: 'GreaterThanThreshold',
          evaluation_periods: 3,
          datapoints_to_alarm: 3,
          treat_missing_data: 'notBreaching',
        }),
      ]);
      expect(String(alarms[0].alarm_actions as unknown)).toMatch(/alerts_warning/);
    },
  );
});
