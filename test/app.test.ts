import { TerraformResource, TerraformStack } from 'cdktf';
import { production } from '../src/config/environments/production';
import { withExtraRegions } from '../src/config/scale';
import { STACK_IDS } from '../src/plan/naming';
import { resolvePlan } from '../src/plan/resolve';
import { threeRegions } from './support/config';
import { defaultSynth } from './support/shared-synth';
import { allResources, resources, type Manifest, type SynthOutput } from './support/stack-json';
import { synthOnce, synthPlatform, type SynthResult } from './support/synth';

/** Kahn's algorithm: returns the stacks in a valid deploy order, or throws on a cycle. */
function deployOrder(manifest: Manifest): string[] {
  const pending = new Map(Object.entries(manifest.stacks).map(([id, s]) => [id, new Set(s.dependencies)]));
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter(([, deps]) => deps.size === 0).map(([id]) => id);
    if (ready.length === 0) throw new Error(`cycle among ${[...pending.keys()].join(', ')}`);
    for (const id of ready.sort()) {
      pending.delete(id);
      order.push(id);
      for (const deps of pending.values()) deps.delete(id);
    }
  }
  return order;
}

describe('the default platform (production)', () => {
  const result: SynthOutput = defaultSynth('production');
  const manifest = result.manifest;
  const plan = resolvePlan(production);

  test('has the bootstrap, one regional stack per region and the global stack', () => {
    expect(result.stackIds).toEqual(
      expect.arrayContaining(['state-bootstrap', 'region-us-east', 'region-eu-west', 'region-apac', 'global']),
    );
  });

  test('the stack graph is acyclic; regional stacks never depend on another region', () => {
    const order = deployOrder(manifest);
    for (const { key } of plan.regions) {
      const deps = manifest.stacks[STACK_IDS.regional(key)].dependencies;
      expect(deps.filter((d) => d.startsWith('region-') || d === 'global')).toEqual([]);
      expect(order.indexOf('global')).toBeGreaterThan(order.indexOf(STACK_IDS.regional(key)));
    }
    expect(manifest.stacks['state-bootstrap'].dependencies).toEqual([]);
  });

  test('no stack depends on the bootstrap stack (it only holds the state backend)', () => {
    expect(Object.values(manifest.stacks).some((s) => s.dependencies.includes('state-bootstrap'))).toBe(false);
  });

  test.each(['region-us-east', 'region-eu-west', 'region-apac', 'global'])(
    '%s keeps its state in S3 under its own key with DynamoDB and S3-native locking and KMS',
    (id) => {
      expect(result.stack(id).terraform.backend).toEqual({
        s3: {
          bucket: '254carbon-mi-production-tfstate',
          key: `production/${id}.tfstate`,
          region: 'us-east-1',
          dynamodb_table: 'mi-production-tflock',
          encrypt: true,
          kms_key_id: 'alias/mi-production-tfstate',
          use_lockfile: true,
        },
      });
    },
  );

  test('the bootstrap stack starts on local state', () => {
    expect(Object.keys(result.stack('state-bootstrap').terraform.backend ?? {})).toEqual(['local']);
  });

  test('each regional stack has one AWS provider for its own region', () => {
    expect(result.stack('region-eu-west').provider!.aws).toEqual([expect.objectContaining({ region: 'eu-west-1' })]);
    expect(result.stack('region-apac').provider!.aws).toEqual([expect.objectContaining({ region: 'ap-southeast-1' })]);
  });

  test('the global stack has a default provider in the primary region and an alias per region', () => {
    const providers = result.stack('global').provider!.aws;
    expect(providers.map((p) => [p.alias ?? 'default', p.region])).toEqual(
      expect.arrayContaining([
        ['default', 'us-east-1'],
        ['us-east', 'us-east-1'],
        ['eu-west', 'eu-west-1'],
        ['apac', 'ap-southeast-1'],
      ]),
    );
    expect(providers.filter((p) => !p.alias)).toHaveLength(1);
  });

  test('remote state readers carry no lock settings', () => {
    const readers = Object.values(result.stack('global').data!.terraform_remote_state);
    expect(readers.length).toBeGreaterThan(0);
    for (const reader of readers) {
      expect(Object.keys(reader.config as object).sort()).toEqual(['bucket', 'encrypt', 'key', 'kms_key_id', 'region']);
    }
  });

  test('three customer-managed KMS keys per region (platform, audit, backup), with rotation', () => {
    for (const { key } of plan.regions) {
      const keys = resources(result.stack(STACK_IDS.regional(key)), 'aws_kms_key');
      expect(keys.every((k) => k.enable_key_rotation === true)).toBe(true);
      const purposes = keys.map((k) => (k.tags as Record<string, string>)['key-purpose'] ?? 'platform');
      expect(purposes.sort()).toEqual(['audit', 'backup', 'platform']);
    }
  });

  test('tags name the region and component a resource belongs to', () => {
    const vpc = resources(result.stack('region-apac'), 'aws_vpc')[0];
    expect(vpc.tags).toMatchObject({ region: 'apac', component: 'network' });
    const connection = resources(result.stack('global'), 'aws_vpc_peering_connection').find(
      (c) => c.peer_region === 'eu-west-1',
    )!;
    expect(connection.tags).toMatchObject({ region: 'us-east', component: 'peering' });
  });
});

describe('the default platform (production, constructs)', () => {
  let synth: SynthResult;
  beforeAll(() => {
    synth = synthPlatform(production);
  });

  test("every stack's JSON is what upstream's toTerraform resolves from the same constructs", () => {
    // The platform stacks resolve once, in cdktf's preparing run (FrozenTerraformStack in
    // src/cdktf-workarounds.ts); upstream resolves the finished tree again from scratch.
    const stacks = synth.platform.app.node.findAll().filter(TerraformStack.isStack);
    expect(stacks.length).toBe(synth.stackIds.length);
    for (const stack of stacks) {
      const upstream = JSON.parse(JSON.stringify(TerraformStack.prototype.toTerraform.call(stack))) as unknown;
      expect({ stack: stack.node.id, json: synth.stack(stack.node.id) }).toEqual({
        stack: stack.node.id,
        json: upstream,
      });
    }
  });

  // The tagging aspect reaches every resource that takes tags: found on the constructs, since the
  // JSON cannot tell a resource without tags from one that takes none.

  test('every taggable resource carries environment, project, region, component and managed-by', () => {
    const taggable = synth.platform.app.node
      .findAll()
      .filter((c): c is TerraformResource => c instanceof TerraformResource && 'tagsInput' in c);
    expect(taggable.length).toBeGreaterThan(50);
    for (const resource of taggable) {
      const tags = (resource as unknown as { tagsInput: Record<string, string> }).tagsInput;
      expect({ path: resource.node.path, tags }).toEqual({
        path: resource.node.path,
        tags: expect.objectContaining({
          environment: 'production',
          project: 'mi',
          region: expect.any(String),
          component: expect.any(String),
          'managed-by': 'cdktf',
          owner: 'platform-team',
        }),
      });
    }
  });
});

describe('staging', () => {
  test('is the same graph with cheaper settings', () => {
    const result = defaultSynth('staging');
    const regional = result.stack('region-us-east');
    expect(resources(regional, 'aws_nat_gateway')).toHaveLength(1);
    // Two AZs: public, private, data and replication (MirrorMaker 2) subnets in each.
    expect(resources(regional, 'aws_subnet')).toHaveLength(8);
    expect(result.stack('global').terraform.backend!.s3).toMatchObject({ key: 'staging/global.tfstate' });
  });
});

describe.each([4, 5])('a %i-region configuration', (n) => {
  let result: SynthOutput;
  beforeAll(() => {
    result = synthOnce(withExtraRegions(threeRegions, n - 3));
  });

  test('gives every region its regional, data and workloads stacks, and the graph stays acyclic', () => {
    const config = withExtraRegions(threeRegions, n - 3);
    for (const region of config.regions) {
      expect(result.stackIds).toEqual(
        expect.arrayContaining([
          STACK_IDS.regional(region.key),
          STACK_IDS.data(region.key),
          STACK_IDS.workloads(region.key),
        ]),
      );
      expect(resources(result.stack(STACK_IDS.regional(region.key)), 'aws_vpc')).toHaveLength(1);
      expect(resources(result.stack(STACK_IDS.regional(region.key)), 'aws_eks_cluster')).toHaveLength(1);
    }
    expect(result.stackIds).toHaveLength(3 + 3 * n); // bootstrap, dns, global + three per region
    expect(() => deployOrder(result.manifest)).not.toThrow();
  });

  test(`meshes all ${n} regions`, () => {
    expect(resources(result.stack('global'), 'aws_vpc_peering_connection')).toHaveLength((n * (n - 1)) / 2);
  });

  test('no resource of the global stack lacks a provider region it needs', () => {
    const providers = new Set(result.stack('global').provider!.aws.map((p) => `aws.${p.alias}`));
    for (const { body } of allResources(result.stack('global'))) {
      if (body.provider) expect(providers).toContain(body.provider);
    }
  });
});
