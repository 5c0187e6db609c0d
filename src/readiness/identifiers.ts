import { drTargets } from '../dr/targets';
import type { CheckResult, Finding, Proven, ReadinessCheck, TerraformJson } from './types';

/** One identifier a tool looks up, and where the synth must create it. */
interface Lookup {
  /** Who looks it up and what it is, e.g. `dr: Aurora cluster mi-production-eu-west-aurora`. */
  readonly subject: string;
  readonly type: string;
  /** The attribute that carries the name (`tags.Name` for a tag). */
  readonly field: string;
  readonly value: string;
}

/**
 * Every identifier the operator tools look up by name (the DR CLI through `drTargets`, the alert and
 * audit names the runbook and `report` name) is created under exactly that name by some stack:
 * otherwise `npm run dr` fails against a real account, as it once did (a health-check `Name` tag the
 * stacks never set). Names are compared as literal attribute values, so a name built at apply time
 * would be reported, not guessed.
 */
export const checkIdentifiers: ReadinessCheck = ({ plan, stacks }): CheckResult => {
  const targets = drTargets(plan);
  const lookups: Lookup[] = [
    {
      subject: `dr: Aurora global cluster ${targets.auroraGlobalCluster}`,
      type: 'aws_rds_global_cluster',
      field: 'global_cluster_identifier',
      value: targets.auroraGlobalCluster,
    },
    {
      subject: `dr: cache global datastore suffix ${targets.cacheGlobalDatastoreSuffix}`,
      type: 'aws_elasticache_global_replication_group',
      field: 'global_replication_group_id_suffix',
      value: targets.cacheGlobalDatastoreSuffix,
    },
    { subject: `dr: record ${targets.apiName}`, type: 'aws_route53_record', field: 'name', value: targets.apiName },
    {
      subject: `audit: trail ${plan.names.trail}`,
      type: 'aws_cloudtrail',
      field: 'name',
      value: plan.names.trail,
    },
    {
      subject: `alerts: bus ${plan.names.alertBus}`,
      type: 'aws_cloudwatch_event_bus',
      field: 'name',
      value: plan.names.alertBus,
    },
  ];
  for (const r of targets.regions) {
    const region = plan.regions.find((p) => p.key === r.key)!;
    lookups.push(
      {
        subject: `dr: health check ${r.healthCheckName}`,
        type: 'aws_route53_health_check',
        field: 'tags.Name',
        value: r.healthCheckName,
      },
      {
        subject: `dr: health check of ${r.directName}`,
        type: 'aws_route53_health_check',
        field: 'fqdn',
        value: r.directName,
      },
      { subject: `dr: record ${r.directName}`, type: 'aws_route53_record', field: 'name', value: r.directName },
      {
        subject: `dr: Aurora cluster ${r.auroraCluster}`,
        type: 'aws_rds_cluster',
        field: 'cluster_identifier',
        value: r.auroraCluster,
      },
      {
        subject: `report: MSK cluster ${region.names.mskCluster}`,
        type: 'aws_msk_cluster',
        field: 'cluster_name',
        value: region.names.mskCluster,
      },
      {
        subject: `report: EKS cluster ${region.names.eksCluster}`,
        type: 'aws_eks_cluster',
        field: 'name',
        value: region.names.eksCluster,
      },
      {
        subject: `events: bus ${region.names.eventBus}`,
        type: 'aws_cloudwatch_event_bus',
        field: 'name',
        value: region.names.eventBus,
      },
      {
        subject: `alerts: critical alarm ${region.names.criticalAlarm}`,
        type: 'aws_cloudwatch_composite_alarm',
        field: 'alarm_name',
        value: region.names.criticalAlarm,
      },
      ...Object.values(region.names.alertTopics).map((topic) => ({
        subject: `alerts: topic ${topic}`,
        type: 'aws_sns_topic',
        field: 'name',
        value: topic,
      })),
    );
    // A cache reader region holds no member: the DR CLI must not look for one there.
    if (region.cache.role !== 'reader') {
      lookups.push({
        subject: `dr: cache replication group ${r.cacheReplicationGroup}`,
        type: 'aws_elasticache_replication_group',
        field: 'replication_group_id',
        value: r.cacheReplicationGroup,
      });
    }
  }

  // ARC routing controls: the DR CLI lists the cluster's routing controls and picks ours by control
  // panel and routing control name.
  if (targets.recoveryControl) {
    lookups.push(
      {
        subject: `dr: ARC cluster ${targets.recoveryControl.clusterName}`,
        type: 'aws_route53recoverycontrolconfig_cluster',
        field: 'name',
        value: targets.recoveryControl.clusterName,
      },
      {
        subject: `dr: ARC control panel ${targets.recoveryControl.controlPanelName}`,
        type: 'aws_route53recoverycontrolconfig_control_panel',
        field: 'name',
        value: targets.recoveryControl.controlPanelName,
      },
      ...targets.regions.map((r) => ({
        subject: `dr: ARC routing control ${r.routingControl ?? `(none for ${r.key})`}`,
        type: 'aws_route53recoverycontrolconfig_routing_control',
        field: 'name',
        value: r.routingControl ?? '',
      })),
    );
  }

  const proven: Proven[] = [];
  const findings: Finding[] = [];
  for (const lookup of lookups) {
    const where = locate(stacks, lookup);
    if (where) proven.push({ check: 'identifier', subject: lookup.subject, evidence: where });
    else
      findings.push({
        check: 'identifier',
        subject: lookup.subject,
        problem: `no ${lookup.type} has ${lookup.field} = "${lookup.value}" in any stack: the tool's lookup would find nothing`,
      });
  }
  return { proven, findings };
};

/** `<stack>: <type>.<name>` of the first resource whose field holds the value, if any. */
function locate(stacks: Readonly<Record<string, TerraformJson>>, lookup: Lookup): string | undefined {
  for (const [stack, json] of Object.entries(stacks)) {
    for (const [name, body] of Object.entries(json.resource?.[lookup.type] ?? {})) {
      if (attribute(body, lookup.field) === lookup.value) return `${stack}: ${lookup.type}.${name}`;
    }
  }
  return undefined;
}

function attribute(body: Record<string, unknown>, field: string): unknown {
  return field.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], body);
}
