// The guard of src/dr/guard.ts refuses, before any request, every client of the excluded region
// (the lost one): regional SDK clients and ARC cluster endpoints alike; other regions pass.
import { Route53RecoveryClusterClient } from '@aws-sdk/client-route53-recovery-cluster';
import type { DrClients } from '../../src/dr/clients';
import { guardedClients } from '../../src/dr/guard';
import { DrError } from '../../src/dr/targets';
import { drClients, fakeClock } from '../support/dr-mocks';

const clients: DrClients = {
  ...drClients,
  recoveryCluster: (e) => new Route53RecoveryClusterClient({ region: e.region, endpoint: e.endpoint }),
};
const endpoint = (region: string) => ({
  region,
  endpoint: `https://x.route53-recovery-cluster.${region}.amazonaws.com/v1`,
});

describe('guarded clients refuse the excluded region', () => {
  test('without a reason given, the refusal says the region is excluded', () => {
    const guarded = guardedClients(clients, {
      exclude: 'us-east-1',
      callTimeoutSeconds: 1,
      attempts: 1,
      clock: fakeClock(),
    });
    expect(() => guarded.rds('us-east-1')).toThrow(
      new DrError(
        'refusing to call rds in us-east-1: the region is excluded (a call there would hang). This is a bug in the DR command; report it.',
      ),
    );
    expect(() => guarded.recoveryCluster!(endpoint('us-east-1'))).toThrow(
      new DrError(
        'refusing to call the ARC cluster endpoint in us-east-1: the region is excluded. This is a bug in the DR command; report it.',
      ),
    );
    expect(guarded.recoveryCluster!(endpoint('eu-west-1'))).toBeDefined();
  });

  test('with a reason, the ARC refusal names it', () => {
    const guarded = guardedClients(clients, {
      exclude: 'us-east-1',
      excludeReason: 'us-east-1 is the region being failed over from',
      callTimeoutSeconds: 1,
      attempts: 1,
      clock: fakeClock(),
    });
    expect(() => guarded.recoveryCluster!(endpoint('us-east-1'))).toThrow(
      new DrError(
        'refusing to call the ARC cluster endpoint in us-east-1: us-east-1 is the region being failed over from. This is a bug in the DR command; report it.',
      ),
    );
  });

  test('clients without an ARC client stay without one', () => {
    const guarded = guardedClients(drClients, {
      exclude: 'us-east-1',
      callTimeoutSeconds: 1,
      attempts: 1,
      clock: fakeClock(),
    });
    expect(guarded.recoveryCluster).toBeUndefined();
  });
});
