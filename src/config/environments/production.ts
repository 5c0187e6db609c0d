import type { PlatformConfig } from '../types';
import { eksDefaults, generalNodes, gpuNodes, ingressDefaults, WORKLOADS } from './compute';
import { eventBridgeDefaults, mskDefaults, streamingDefaults } from './streaming';
import { observabilityDefaults } from './observability';
import { dataConfig } from './data';
import { securityDefaults } from './security';
import { deliveryDefaults } from './delivery';

/**
 * Production: the three-region topology of the active-active design (us-east primary,
 * eu-west and apac secondaries). Bucket names are global: set your own before the first deploy.
 */
export const production: PlatformConfig = {
  project: 'mi',
  environment: 'production',
  domainName: '254carbon.com',
  regions: [
    {
      key: 'us-east',
      code: 'us-east-1',
      role: 'primary',
      vpcCidr: '10.10.0.0/16',
      azCount: 3,
      overrides: { eks: { nodeGroups: [generalNodes(3), gpuNodes(2)] } },
    },
    { key: 'eu-west', code: 'eu-west-1', role: 'secondary', vpcCidr: '10.20.0.0/16', azCount: 3 },
    {
      key: 'apac',
      code: 'ap-southeast-1',
      role: 'secondary',
      vpcCidr: '10.30.0.0/16',
      azCount: 3,
      overrides: { eks: { nodeGroups: [generalNodes(2)] } },
    },
  ],
  state: {
    // 'terraform-cloud' (with `terraformCloud: { organization, project, hostname }`) keeps each
    // stack's state in its own Terraform Cloud workspace instead (docs/delivery.md).
    mode: 's3',
    bucket: '254carbon-mi-production-tfstate',
    region: 'us-east-1',
    lockTable: 'mi-production-tflock',
    kmsKeyAlias: 'alias/mi-production-tfstate',
    replicaBucket: '254carbon-mi-production-tfstate-replica',
    replicaRegion: 'eu-west-1',
    // Switch to 's3' once the first bootstrap apply has created the bucket (README: first deploy).
    bootstrapBackend: 'local',
    noncurrentVersionExpirationDays: 90,
  },
  tags: {
    owner: 'platform-team',
    'cost-center': 'market-intelligence',
  },
  traffic: {
    hostedZone: { mode: 'create' },
    // CNAMEs with a 30 s TTL instead of ALB aliases (fixed 60 s): the only way the DNS path fits
    // the 60 s RTO. Costs per-query billing; see docs/traffic.md.
    recordTarget: 'cname',
    recordTtlSeconds: 30,
    healthCheck: {
      resourcePath: '/actuator/health/readiness',
      // Fast checks (10 s, extra cost) x 2 failures (seed 001) + 30 s TTL = 50 s <= 60 s RTO.
      requestIntervalSeconds: 10,
      failureThreshold: 2,
      measureLatency: true,
      checkerRegions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-northeast-1'],
    },
    apiPolicy: 'failover',
    geoRouting: {
      'continent:NA': 'us-east',
      'continent:SA': 'us-east',
      'continent:EU': 'eu-west',
      'continent:AF': 'eu-west',
      'continent:AS': 'apac',
      'continent:OC': 'apac',
    },
    // Seed 001 splits 60/40 over two regions; with three, the primary keeps half.
    weights: { 'us-east': 50, 'eu-west': 25, apac: 25 },
    drRegion: 'eu-west',
    // Public traffic enters through CloudFront and the WAF; list partner networks here.
    directAccessCidrs: [],
  },
  edge: {
    hostname: 'edge',
    originConnectionTimeoutSeconds: 5,
    originConnectionAttempts: 2,
    originReadTimeoutSeconds: 30,
    writePathPatterns: ['/api/*'],
    priceClass: 'PriceClass_All',
    geoRestriction: { type: 'none' },
    hstsMaxAgeSeconds: 63072000,
    wafRateLimitPer5Minutes: 2000,
    logRetentionDays: 365,
  },
  recovery: { rtoSeconds: 60 },
  data: dataConfig('cache.r7g.large'),
  defaults: {
    msk: mskDefaults(),
    eventBridge: eventBridgeDefaults(),
    network: {
      natGateways: 'per-az',
      flowLogRetentionDays: 365,
      interfaceEndpoints: ['sts', 'logs', 'ecr.api', 'ecr.dkr', 'kms', 'ec2', 'elasticloadbalancing', 'autoscaling'],
    },
    eks: eksDefaults(),
    ingress: ingressDefaults(),
    // Seed 003: Sunday 02:00-06:00 local in every region, which staggers the regions in UTC.
    maintenance: { day: 'sun', localStart: '02:00', durationHours: 4 },
    aurora: {
      instanceClass: 'db.r6g.xlarge',
      primaryInstances: 3, // writer + 2 readers (seed 001)
      secondaryInstances: 2,
      backupRetentionDays: 30, // seed 000
      logRetentionDays: 365,
      performanceInsightsRetentionDays: 31,
      monitoringIntervalSeconds: 15,
    },
    elasticache: { nodes: 3, snapshotRetentionDays: 7, joinGlobalDatastore: true, logRetentionDays: 365 },
    clickhouse: { shards: 2, replicas: 2, cpu: '4', memory: '16Gi', storageGiB: 500, backupRetentionDays: 35 },
  },
  workloads: WORKLOADS,
  streaming: streamingDefaults('production'),
  observability: observabilityDefaults(),
  security: securityDefaults('mi-production'),
  delivery: deliveryDefaults(),
};
