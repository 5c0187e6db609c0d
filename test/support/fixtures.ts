import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RegionalKey } from '../../modules/kms/regional-key';
import { Network } from '../../modules/network/network';

export const TEST_ACCOUNT = '111122223333';

/** A test stack in `region` with a provider, a regional key and a small two-AZ network, for module tests. */
export function regionalFixture(region: string): { stack: TerraformStack; key: RegionalKey; network: Network } {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region });
  const key = new RegionalKey(stack, 'kms', {
    aliasName: 'k',
    description: 'k',
    region,
    accountId: TEST_ACCOUNT,
    partition: 'aws',
  });
  const network = new Network(stack, 'net', {
    name: 't',
    region,
    cidr: '10.0.0.0/16',
    azCount: 2,
    natGateways: 'single',
    flowLogRetentionDays: 30,
    interfaceEndpoints: [],
    kmsKey: key,
    accountId: TEST_ACCOUNT,
  });
  return { stack, key, network };
}
