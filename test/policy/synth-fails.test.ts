import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { production } from '../../src/config/environments/production';
import { synthesizePlatform } from '../../src/synth';
import { tempDir } from '../support/synth';
import type * as AppModule from '../../src/app';
import { resolvePlan } from '../../src/plan/resolve';

// The CLI path (main.ts -> synthesizePlatform) with a planted violation in the regional stack.
jest.mock('../../src/app', () => {
  const actual = jest.requireActual<typeof AppModule>('../../src/app');
  return {
    ...actual,
    buildPlatform: (...args: Parameters<typeof actual.buildPlatform>) => {
      const platform = actual.buildPlatform(...args);
      const region = platform.regional[0];
      new SecurityGroup(region, 'planted', {
        name: 'planted',
        vpcId: region.network.vpc.id,
        ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }],
      });
      return platform;
    },
  };
});

test('a policy finding fails the CLI synth and leaves cdktf.out untouched', async () => {
  const outdir = join(tempDir('policy-cli'), 'cdktf.out');
  mkdirSync(outdir);
  writeFileSync(join(outdir, 'manifest.json'), '{"previous":true}');
  await expect(synthesizePlatform(resolvePlan(production), { outdir, hclOutput: false })).rejects.toThrow(
    /MRP-EC2-1\] region-us-east\/planted/,
  );
  expect(readdirSync(outdir)).toEqual(['manifest.json']);
  expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe('{"previous":true}');
});
