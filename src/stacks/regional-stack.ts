import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { RegionalKey } from '../../modules/kms/regional-key';
import { Network } from '../../modules/network/network';
import { regionFacts } from '../config/catalog';
import type { PlatformConfig, ResolvedRegion } from '../config/types';
import { STACK_IDS } from '../naming';
import { PlatformStack } from './platform-stack';

/**
 * Everything one region runs on its own: KMS key and network now; EKS, MSK and regional data
 * plumbing later. Never references another regional stack, so a region can be planned and
 * deployed while another region is down.
 */
export class RegionalStack extends PlatformStack {
  readonly region: ResolvedRegion;
  readonly key: RegionalKey;
  readonly network: Network;

  constructor(scope: Construct, config: PlatformConfig, region: ResolvedRegion) {
    super(scope, STACK_IDS.regional(region.key), { config, regionKey: region.key });
    this.region = region;
    this.awsProvider('aws', region.code);
    const name = this.naming.regional(region.key, '').replace(/-$/, '');

    this.key = new RegionalKey(this, 'kms', {
      aliasName: `${name}-platform`,
      description: `Platform key for ${config.environment} in ${region.code}`,
      region: region.code,
      accountId: this.accountId,
      partition: this.partition,
    });

    const net = region.settings.network;
    this.network = new Network(this, 'network', {
      name,
      region: region.code,
      cidr: region.vpcCidr,
      azCount: region.azCount,
      excludeZoneIds: regionFacts(region.code)?.excludeZoneIds,
      natGateways: net.natGateways,
      flowLogRetentionDays: net.flowLogRetentionDays,
      interfaceEndpoints: net.interfaceEndpoints,
      kmsKey: this.key,
      accountId: this.accountId,
    });

    new TerraformOutput(this, 'vpc_id', { value: this.network.vpc.id });
    new TerraformOutput(this, 'private_subnet_ids', { value: this.network.privateSubnets.map((s) => s.id) });
    new TerraformOutput(this, 'data_subnet_ids', { value: this.network.dataSubnets.map((s) => s.id) });
    new TerraformOutput(this, 'kms_key_arn', { value: this.key.arn });
  }
}
