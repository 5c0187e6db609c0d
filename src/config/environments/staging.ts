import type { PlatformConfig } from '../types';
import { eksDefaults, generalNodes, gpuNodes, ingressDefaults, WORKLOADS } from './compute';
import { eventBridgeDefaults, mskDefaults, streamingDefaults } from './streaming';
import { observabilityDefaults } from './observability';
import { dataConfig } from './data';
import { securityDefaults } from './security';
import { deliveryDefaults } from './delivery';

/**
 * Staging: same topology as production at lower cost (two AZs, one NAT gateway per VPC,
 * shorter log retention) and address space disjoint from production so the two can be peered.
 */
export const staging: PlatformConfig = {
  project: 'mi',
  environment: 'staging',
  domainName: 'staging.254carbon.com',
  regions: [
    {
      key: 'us-east',
      code: 'us-east-1',
      role: 'primary',
      vpcCidr: '10.110.0.0/16',
      azCount: 2,
      overrides: { eks: { nodeGroups: [generalNodes(2, ['m6i.large']), gpuNodes(1)] } },
    },
    { key: 'eu-west', code: 'eu-west-1', role: 'secondary', vpcCidr: '10.120.0.0/16', azCount: 2 },
    { key: 'apac', code: 'ap-southeast-1', role: 'secondary', vpcCidr: '10.130.0.0/16', azCount: 2 },
  ],
  state: {
    // 'terraform-cloud' (with `terraformCloud: { organization, project, hostname }`) keeps each
    // stack's state in its own Terraform Cloud workspace instead (docs/delivery.md).
    mode: 's3',
    bucket: '254carbon-mi-staging-tfstate',
    region: 'us-east-1',
    lockTable: 'mi-staging-tflock',
    kmsKeyAlias: 'alias/mi-staging-tfstate',
    replicaBucket: '254carbon-mi-staging-tfstate-replica',
    replicaRegion: 'eu-west-1',
    // Switch to 's3' once the first bootstrap apply has created the bucket (README: first deploy).
    bootstrapBackend: 'local',
    noncurrentVersionExpirationDays: 30,
  },
  tags: {
    owner: 'platform-team',
    'cost-center': 'market-intelligence',
  },
  traffic: {
    hostedZone: { mode: 'create' },
    // Free alias queries and standard 30 s checks: 30 s x 3 + 60 s = 150 s, within staging's RTO.
    recordTarget: 'alias',
    recordTtlSeconds: 60,
    healthCheck: {
      resourcePath: '/actuator/health/readiness',
      requestIntervalSeconds: 30,
      failureThreshold: 3,
      measureLatency: false,
      checkerRegions: ['us-east-1', 'eu-west-1', 'ap-southeast-1'],
    },
    apiPolicy: 'latency',
    geoRouting: { 'continent:EU': 'eu-west', 'continent:AS': 'apac' },
    weights: { 'us-east': 60, 'eu-west': 40 },
    drRegion: 'eu-west',
    directAccessCidrs: [],
  },
  edge: {
    hostname: 'edge',
    originConnectionTimeoutSeconds: 5,
    originConnectionAttempts: 2,
    originReadTimeoutSeconds: 30,
    writePathPatterns: ['/api/*'],
    priceClass: 'PriceClass_100',
    geoRestriction: { type: 'none' },
    hstsMaxAgeSeconds: 31536000,
    wafRateLimitPer5Minutes: 1000,
    logRetentionDays: 30,
  },
  recovery: { rtoSeconds: 180 },
  data: dataConfig('cache.m6g.large'),
  defaults: {
    // Two AZs: brokers come in pairs, and replication factor 3 needs at least 3.
    msk: mskDefaults({ brokerCount: 4, volumeSizeGiB: 100, maxVolumeSizeGiB: 500, logRetentionDays: 30 }),
    eventBridge: eventBridgeDefaults({ lambdaReservedConcurrency: 5, logRetentionDays: 30 }),
    network: {
      natGateways: 'single',
      flowLogRetentionDays: 30,
      interfaceEndpoints: ['sts', 'logs', 'ecr.api', 'ecr.dkr', 'kms'],
    },
    eks: eksDefaults({ logRetentionDays: 30, nodeGroups: [generalNodes(2, ['m6i.large'])] }),
    ingress: ingressDefaults({ accessLogRetentionDays: 30 }),
    maintenance: { day: 'sun', localStart: '02:00', durationHours: 4 },
    aurora: {
      instanceClass: 'db.r6g.large',
      primaryInstances: 3,
      secondaryInstances: 1,
      backupRetentionDays: 7,
      logRetentionDays: 30,
      performanceInsightsRetentionDays: 7,
      monitoringIntervalSeconds: 60,
    },
    elasticache: { nodes: 2, snapshotRetentionDays: 3, joinGlobalDatastore: true, logRetentionDays: 30 },
    clickhouse: { shards: 1, replicas: 2, cpu: '1', memory: '4Gi', storageGiB: 50, backupRetentionDays: 14 },
  },
  workloads: WORKLOADS,
  streaming: streamingDefaults('staging'),
  // Staging keeps archived logs one year and AMP samples 30 days.
  observability: observabilityDefaults({
    archive: { ...observabilityDefaults().archive, expirationDays: 365 },
    prometheus: { retentionDays: 30 },
  }),
  security: securityDefaults('mi-staging'),
  delivery: deliveryDefaults(),
};
