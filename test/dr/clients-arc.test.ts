// The real clients of src/dr/clients.ts for ARC's cluster endpoints (one per endpoint, signed for
// the endpoint's region, one attempt each) and the real clock's sleep.
import { awsClients } from '../../src/dr/clients';
import { realClock } from '../../src/dr/commands';

interface ArcClientConfig {
  region(): Promise<string>;
  maxAttempts(): Promise<number>;
  endpoint(): Promise<{ hostname: string; path: string }>;
}

describe('ARC cluster clients', () => {
  const clients = awsClients();
  const a = { region: 'us-west-2', endpoint: 'https://b2.route53-recovery-cluster.us-west-2.amazonaws.com/v1' };
  const b = { region: 'eu-west-1', endpoint: 'https://c3.route53-recovery-cluster.eu-west-1.amazonaws.com/v1' };

  test("one client per endpoint, for the endpoint's region and address, one attempt", async () => {
    const client = clients.recoveryCluster!(a);
    expect(clients.recoveryCluster!(a)).toBe(client);
    expect(clients.recoveryCluster!(b)).not.toBe(client);
    const config = client.config as unknown as ArcClientConfig;
    expect(await config.region()).toBe('us-west-2');
    expect(await config.maxAttempts()).toBe(1);
    expect(await config.endpoint()).toMatchObject({
      hostname: 'b2.route53-recovery-cluster.us-west-2.amazonaws.com',
      path: '/v1',
    });
  });
});

describe('the real clock', () => {
  test('sleep waits about the time asked', async () => {
    const start = Date.now();
    await realClock.sleep(30);
    expect(Date.now() - start).toBeGreaterThanOrEqual(25);
  });
});
