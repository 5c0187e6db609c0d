import type { PlatformConfig } from '../types';

/**
 * Production: the three-region topology of the active-active design (us-east primary,
 * eu-west and apac secondaries). Bucket names are global: set your own before the first deploy.
 */
export const production: PlatformConfig = {
  project: 'mi',
  environment: 'production',
  domainName: '254carbon.com',
  regions: [
    { key: 'us-east', code: 'us-east-1', role: 'primary', vpcCidr: '10.10.0.0/16', azCount: 3 },
    { key: 'eu-west', code: 'eu-west-1', role: 'secondary', vpcCidr: '10.20.0.0/16', azCount: 3 },
    { key: 'apac', code: 'ap-southeast-1', role: 'secondary', vpcCidr: '10.30.0.0/16', azCount: 3 },
  ],
  state: {
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
  defaults: {
    network: {
      natGateways: 'per-az',
      flowLogRetentionDays: 365,
      interfaceEndpoints: ['sts', 'logs', 'ecr.api', 'ecr.dkr', 'kms', 'ec2', 'elasticloadbalancing', 'autoscaling'],
    },
  },
};
