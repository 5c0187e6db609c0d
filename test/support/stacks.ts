// One platform stack on its own, for tests of what a configuration changes in that stack: each stack
// takes its plan slice and the plain exports of the stacks before it (src/parts/exports.ts), so it
// builds without the rest of the platform. The exports of the stacks it reads are named stand-ins
// here, not references: what crosses stacks is the subject of the full synths (app.test.ts).
import { Testing } from 'cdktf';
import type { TerraformStack } from 'cdktf';
import type { PlatformConfig } from '../../src/config/types';
import type { DnsExports, RegionalExports } from '../../src/parts/exports';
import { resolvePlan } from '../../src/plan/resolve';
import { DnsStack } from '../../src/stacks/dns-stack';
import { GlobalStack } from '../../src/stacks/global-stack';
import { RegionalStack } from '../../src/stacks/regional-stack';
import { regionOfPlan } from './plan';
import type { StackJson } from './stack-json';

/** The hosted zone the dns stack would export. */
export const DNS_EXPORTS: DnsExports = { zoneId: 'dns-zone-id' };

/** Stand-ins for a regional stack's exports: `region-<key>/<what>` strings; `routeTables` internal route tables. */
export function regionalExportsOf(key: string, routeTables = 4): RegionalExports {
  const at = (what: string) => `region-${key}/${what}`;
  return {
    kmsKeyArn: at('kms-key-arn'),
    auditKeyArn: at('audit-key-arn'),
    backupKeyArn: at('backup-key-arn'),
    network: {
      vpcId: at('vpc-id'),
      privateSubnetIds: [at('private-subnet-0'), at('private-subnet-1'), at('private-subnet-2')],
      dataSubnetIds: [at('data-subnet-0'), at('data-subnet-1'), at('data-subnet-2')],
      internalRouteTableIds: Array.from({ length: routeTables }, (_, i) => at(`route-table-${i}`)),
    },
    eks: {
      clusterName: at('eks-cluster'),
      endpoint: at('eks-endpoint'),
      certificateAuthorityData: at('eks-ca'),
      oidc: { providerArn: at('oidc-provider-arn'), issuerHost: at('oidc-issuer') },
      nodeSecurityGroupId: at('eks-node-sg'),
      clusterSecurityGroupId: at('eks-cluster-sg'),
      hasGpuNodes: false,
    },
    ingress: {
      dnsName: at('alb-dns-name'),
      zoneId: at('alb-zone-id'),
      loadBalancerArnSuffix: at('alb-arn-suffix'),
      targetGroupArn: at('target-group-arn'),
      accessLogBucket: { name: at('alb-logs-bucket'), arn: at('alb-logs-bucket-arn') },
    },
    msk: {
      arn: at('msk-arn'),
      clusterName: at('msk-cluster'),
      bootstrapBrokersScram: at('msk-brokers'),
      bootstrapBrokersIam: at('msk-brokers-iam'),
      aclAdminRoleArn: at('msk-acl-admin-role'),
      securityGroupId: at('msk-sg'),
      clientSubnetIds: [at('private-subnet-0'), at('private-subnet-1'), at('private-subnet-2')],
    },
    clickhouseBackups: { name: at('clickhouse-bucket'), arn: at('clickhouse-bucket-arn') },
    workloadRoleArns: {
      loadBalancerController: at('lbc-role-arn'),
      clusterAutoscaler: at('autoscaler-role-arn'),
      application: at('app-role-arn'),
    },
    observability: {
      criticalAlarmArn: at('critical-alarm-arn'),
      topicArns: { warning: at('warning-topic-arn'), critical: at('critical-topic-arn') },
      archive: { name: at('archive-bucket'), arn: at('archive-bucket-arn') },
      logExport: { streamArn: at('log-stream-arn'), roleArn: at('log-role-arn') },
    },
  };
}

/** The synthesized JSON of one stack (no construct paths: Testing.synth leaves out the metadata). */
export function stackJson(stack: TerraformStack): StackJson {
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/** The dns stack of `config`. */
export function dnsStackOf(config: PlatformConfig): StackJson {
  return stackJson(new DnsStack(Testing.app(), 'dns', { plan: resolvePlan(config) }));
}

/** The regional stack of region `key` of `config`. */
export function regionalStackOf(config: PlatformConfig, key: string): StackJson {
  const plan = resolvePlan(config);
  const region = regionOfPlan(plan, key);
  return stackJson(new RegionalStack(Testing.app(), region.stackIds.regional, { plan, region, dns: DNS_EXPORTS }));
}

/** The global stack of `config`, each region exporting its AZ count + 1 internal route tables. */
export function globalStackOf(config: PlatformConfig): StackJson {
  const plan = resolvePlan(config);
  const regional = new Map(plan.regions.map((r) => [r.key, regionalExportsOf(r.key, r.azCount + 1)]));
  return stackJson(new GlobalStack(Testing.app(), plan.stackIds.global, { plan, regional, dns: DNS_EXPORTS }));
}
