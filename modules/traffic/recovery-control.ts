import { Construct } from 'constructs';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Route53RecoverycontrolconfigCluster } from '@cdktf/provider-aws/lib/route53recoverycontrolconfig-cluster';
import { Route53RecoverycontrolconfigControlPanel } from '@cdktf/provider-aws/lib/route53recoverycontrolconfig-control-panel';
import { Route53RecoverycontrolconfigRoutingControl } from '@cdktf/provider-aws/lib/route53recoverycontrolconfig-routing-control';
import { Route53RecoverycontrolconfigSafetyRule } from '@cdktf/provider-aws/lib/route53recoverycontrolconfig-safety-rule';
import { setComponent, setRegion } from '../common/context';

export interface RecoveryControlRegion {
  /** Region key. */
  readonly key: string;
  /** Name of the region's routing control (the DR CLI finds it by this name in the cluster). */
  readonly routingControlName: string;
  /** `Name` tag of the RECOVERY_CONTROL health check that reports the routing control's state. */
  readonly healthCheckName: string;
}

export interface RecoveryControlProps {
  readonly clusterName: string;
  readonly controlPanelName: string;
  readonly safetyRuleName: string;
  /** Milliseconds the safety rule blocks further changes after one (against flapping). */
  readonly safetyRuleWaitMs: number;
  readonly regions: readonly RecoveryControlRegion[];
  /**
   * Provider of the ARC control-plane resources. ARC's configuration API exists only in us-west-2
   * (the aws provider sends these calls there whatever its region); pass a us-west-2 provider so
   * the configuration says so.
   */
  readonly controlPlaneProvider: AwsProvider;
  /**
   * `prevent_destroy` on the cluster, the control panel and the routing controls. Set it while
   * records follow the routing controls: a replaced routing control is created off (its region
   * leaves DNS) and a replaced cluster has new endpoints the DR CLI does not know.
   */
  readonly preventDestroy: boolean;
}

/**
 * Route 53 Application Recovery Controller routing controls, one per region, on a cluster of their
 * own: on/off switches whose state lives in ARC's data plane (five regional cluster endpoints) and
 * reaches DNS through a RECOVERY_CONTROL health check per region. An assertion safety rule keeps at
 * least one region on, so no update (or pair of updates) can take every region out of DNS.
 * Routing controls are created OFF: records must follow them only after they were turned on.
 */
export class RecoveryControl extends Construct {
  readonly cluster: Route53RecoverycontrolconfigCluster;
  readonly controlPanel: Route53RecoverycontrolconfigControlPanel;
  readonly routingControls: ReadonlyMap<string, Route53RecoverycontrolconfigRoutingControl>;
  /** RECOVERY_CONTROL health check per region key: healthy while the region's routing control is on. */
  readonly healthChecks: ReadonlyMap<string, Route53HealthCheck>;
  readonly safetyRule: Route53RecoverycontrolconfigSafetyRule;

  constructor(scope: Construct, id: string, props: RecoveryControlProps) {
    super(scope, id);
    setComponent(this, 'dns');
    if (props.regions.length === 0) throw new Error('RecoveryControl needs at least one region');
    const provider = props.controlPlaneProvider;
    const lifecycle = props.preventDestroy ? { preventDestroy: true } : undefined;

    this.cluster = new Route53RecoverycontrolconfigCluster(this, 'cluster', {
      name: props.clusterName,
      provider,
      lifecycle,
    });
    this.controlPanel = new Route53RecoverycontrolconfigControlPanel(this, 'control-panel', {
      name: props.controlPanelName,
      clusterArn: this.cluster.arn,
      provider,
      lifecycle,
    });

    const controls = new Map<string, Route53RecoverycontrolconfigRoutingControl>();
    const checks = new Map<string, Route53HealthCheck>();
    let previous: Route53RecoverycontrolconfigRoutingControl | undefined;
    for (const region of props.regions) {
      const regionScope = new Construct(this, region.key);
      setRegion(regionScope, region.key);
      const control = new Route53RecoverycontrolconfigRoutingControl(regionScope, 'routing-control', {
        name: region.routingControlName,
        clusterArn: this.cluster.arn,
        controlPanelArn: this.controlPanel.arn,
        provider,
        lifecycle,
        // One at a time: ARC answers concurrent creates on one control panel with 409 Conflict, which
        // the aws provider 5.x turns into a crash (terraform-provider-aws #47034, fixed in 6.x only).
        dependsOn: previous ? [previous] : undefined,
      });
      previous = control;
      controls.set(region.key, control);
      checks.set(
        region.key,
        new Route53HealthCheck(regionScope, 'health-check', {
          type: 'RECOVERY_CONTROL',
          routingControlArn: control.arn,
          tags: { Name: region.healthCheckName },
        }),
      );
    }
    this.routingControls = controls;
    this.healthChecks = checks;

    // Assertion: after any update, at least one of the routing controls is on. ARC refuses an
    // update that would break it, so `failover` and `switchover` can never take every region out.
    this.safetyRule = new Route53RecoverycontrolconfigSafetyRule(this, 'at-least-one-region', {
      name: props.safetyRuleName,
      controlPanelArn: this.controlPanel.arn,
      assertedControls: [...controls.values()].map((c) => c.arn),
      ruleConfig: { type: 'ATLEAST', threshold: 1, inverted: false },
      waitPeriodMs: props.safetyRuleWaitMs,
      provider,
    });
  }
}
