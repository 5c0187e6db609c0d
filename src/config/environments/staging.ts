import type { PlatformConfig } from '../types';

/**
 * Staging: same topology as production at lower cost (two AZs, one NAT gateway per VPC,
 * shorter log retention) and address space disjoint from production so the two can be peered.
 */
export const staging: PlatformConfig = {
  project: 'mi',
  environment: 'staging',
  domainName: 'staging.254carbon.com',
  regions: [
    { key: 'us-east', code: 'us-east-1', role: 'primary', vpcCidr: '10.110.0.0/16', azCount: 2 },
    { key: 'eu-west', code: 'eu-west-1', role: 'secondary', vpcCidr: '10.120.0.0/16', azCount: 2 },
    { key: 'apac', code: 'ap-southeast-1', role: 'secondary', vpcCidr: '10.130.0.0/16', azCount: 2 },
  ],
  state: {
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
  defaults: {
    network: {
      natGateways: 'single',
      flowLogRetentionDays: 30,
      interfaceEndpoints: ['sts', 'logs', 'ecr.api', 'ecr.dkr', 'kms'],
    },
  },
};
