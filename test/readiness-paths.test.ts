import { production } from '../src/config/environments/production';
import type { PlatformConfig } from '../src/config/types';
import { resolvePlan } from '../src/plan/resolve';
import type { PlatformPlan } from '../src/plan/types';
import { checkDataPaths, pathSubject } from '../src/readiness/paths';
import type { CheckResult, TerraformJson } from '../src/readiness/types';
import { defaultSynth } from './support/shared-synth';
import { resources, type SynthOutput } from './support/stack-json';
import { threeRegions } from './support/config';
import { synthOnce } from './support/synth';

type Stacks = Record<string, TerraformJson>;
type Resources = Record<string, Record<string, Record<string, unknown>>>;

const stacksOf = (synth: SynthOutput): Stacks => Object.fromEntries(synth.stackIds.map((id) => [id, synth.stack(id)]));

/** A copy of `stacks` with `stack` changed by `plant` (the shared synth is never written). */
function planted(stacks: Stacks, stack: string, plant: (resource: Resources) => void): Stacks {
  const copy = structuredClone(stacks[stack]) as { resource: Resources };
  plant(copy.resource);
  return { ...stacks, [stack]: copy as TerraformJson };
}

/** The one resource of `type` in `resource` whose name contains `part`. */
function nameOf(resource: Resources, type: string, part: string): string {
  const names = Object.keys(resource[type] ?? {}).filter((n) => n.includes(part));
  expect(names).toHaveLength(1);
  return names[0];
}

const problemsOf = (result: CheckResult) => result.findings.map((f) => `${f.subject}: ${f.problem}`);

function expectAllProven(plan: PlatformPlan, result: CheckResult): void {
  expect(problemsOf(result)).toEqual([]);
  expect(plan.dataPaths.length).toBeGreaterThan(0);
  expect(result.proven.map((p) => p.subject)).toEqual(plan.dataPaths.map(pathSubject));
}

describe('data paths of the default production synth', () => {
  const plan = resolvePlan(production);
  const stacks = stacksOf(defaultSynth('production'));

  test('every declared path is proven, cross-region ones with peering routes both ways', () => {
    const result = checkDataPaths({ plan, stacks });
    expectAllProven(plan, result);
    const write = result.proven.find((p) => p.subject === 'eu-west -> aurora-writer (us-east) 5432 write')!;
    expect(write.evidence).toMatch(/data-us-east:aws_vpc_security_group_ingress_rule\.aurora_ingress-peer-eu-west-0/);
    // Every other Aurora member could become the writer: the path must hold towards each.
    const others = plan.regions.filter((r) => r !== plan.primary).map((r) => r.key);
    expect(write.evidence).toContain(`peering routes both ways; also towards ${others.join(', ')} (switchover)`);
  });

  test('a deleted security-group rule fails the path naming the subnet it admitted', () => {
    const broken = planted(stacks, 'data-us-east', (r) => {
      delete r.aws_vpc_security_group_ingress_rule[
        nameOf(r, 'aws_vpc_security_group_ingress_rule', 'aurora_ingress-peer-eu-west-0')
      ];
    });
    const problems = problemsOf(checkDataPaths({ plan, stacks: broken }));
    expect(problems).toEqual([
      expect.stringMatching(
        /^eu-west -> aurora-writer \(us-east\) 5432 write: aurora \(us-east\): no ingress rule on data-us-east:aws_security_group\.aurora_sg_\w+ admits tcp 5432 from eu-west's application subnet 10\.20\.0\.0\/20/,
      ),
    ]);
  });

  test('a rule on a secondary member is needed too: the write path must survive a switchover', () => {
    const broken = planted(stacks, 'data-apac', (r) => {
      delete r.aws_vpc_security_group_ingress_rule[
        nameOf(r, 'aws_vpc_security_group_ingress_rule', 'cache_ingress-peer-eu-west-1')
      ];
    });
    const problems = problemsOf(checkDataPaths({ plan, stacks: broken }));
    expect(problems).toEqual([
      expect.stringMatching(
        /^eu-west -> cache-primary \(us-east\) 6379 write: after a switchover to apac: cache \(apac\): no ingress rule .* from eu-west's application subnet 10\.20\.16\.0\/20/,
      ),
    ]);
  });

  test('a wrong port fails every path through that rule', () => {
    const broken = planted(stacks, 'global', (r) => {
      const rule =
        r.aws_vpc_security_group_ingress_rule[
          nameOf(r, 'aws_vpc_security_group_ingress_rule', 'cache-primary_ingress-peer-apac-2')
        ];
      rule.from_port = 6380;
      rule.to_port = 6380;
    });
    const problems = problemsOf(checkDataPaths({ plan, stacks: broken }));
    expect(problems).toEqual([
      expect.stringMatching(
        /^apac -> cache-primary \(us-east\) 6379 write: cache \(us-east\): no ingress rule on global:aws_security_group\.data_cache-primary_sg_\w+ admits tcp 6379 from apac's application subnet 10\.30\.32\.0\/20/,
      ),
    ]);
  });

  test('a removed peering route fails every path over it, naming the route table and destination', () => {
    const broken = planted(stacks, 'global', (r) => {
      delete r.aws_route[nameOf(r, 'aws_route', 'peering_us-east--eu-west-accepter_route-3')];
    });
    const problems = problemsOf(checkDataPaths({ plan, stacks: broken }));
    // route-3 of the accepter side is eu-west's data route table: the return route to us-east.
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem).toMatch(
        /eu-west -> us-east \(return\): route table region-eu-west:aws_route_table\.network_data-rt_\w+ has no route to 10\.10\.(0|16|32)\.0\/20 through the us-east-eu-west peering/,
      );
    }
    expect(
      problems.some((p) =>
        p.startsWith('us-east -> aurora-writer (us-east) 5432 write: after a switchover to eu-west'),
      ),
    ).toBe(true);
  });

  test('egress: a removed node egress rule fails every path that leaves through it', () => {
    const broken = planted(stacks, 'region-eu-west', (r) => {
      delete r.aws_vpc_security_group_egress_rule[
        nameOf(r, 'aws_vpc_security_group_egress_rule', 'node-network_egress-us-east-5432')
      ];
    });
    const problems = problemsOf(checkDataPaths({ plan, stacks: broken }));
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem).toMatch(
        /^eu-west -> aurora-writer \(\w[\w-]*\) 5432 write: (after a switchover to \S+: )?aurora \(us-east\): no egress rule on the security groups of region-eu-west:aws_eks_node_group\.\S+ lets tcp 5432 out to 10\.10\.\d+\.0\/\d+/,
      );
    }
  });

  test('egress: a range that misses one store subnet does not count', () => {
    const broken = planted(stacks, 'region-apac', (r) => {
      const name = nameOf(r, 'aws_vpc_security_group_egress_rule', 'node-network_egress-us-east-6379');
      r.aws_vpc_security_group_egress_rule[name].cidr_ipv4 = '10.10.0.0/17'; // the data tier is the last quarter
    });
    const problems = problemsOf(checkDataPaths({ plan, stacks: broken }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^apac -> cache-primary \(us-east\) 6379 write: .*no egress rule .* lets tcp 6379 out/),
      ]),
    );
  });

  test('egress: nodes carrying the EKS cluster security group are open (EKS manages its allow-all rule)', () => {
    const broken = planted(stacks, 'region-eu-west', (r) => {
      delete r.aws_vpc_security_group_egress_rule[
        nameOf(r, 'aws_vpc_security_group_egress_rule', 'node-network_egress-us-east-5432')
      ];
      for (const template of Object.values(r.aws_launch_template)) {
        const cluster = Object.keys(r.aws_eks_cluster)[0];
        template.vpc_security_group_ids = [`\${aws_eks_cluster.${cluster}.vpc_config[0].cluster_security_group_id}`];
      }
    });
    const result = checkDataPaths({ plan, stacks: broken });
    expect(problemsOf(result).filter((p) => p.includes('egress'))).toEqual([]);
    const write = result.proven.find((p) => p.subject === 'eu-west -> aurora-writer (us-east) 5432 write');
    expect(write?.evidence).toMatch(
      /egress region-eu-west:aws_eks_cluster\.\S+ \(EKS cluster security group: allow-all egress\)/,
    );
  });

  test('MirrorMaker 2 paths start from the replication node group and its subnets alone', () => {
    const result = checkDataPaths({ plan, stacks });
    const pull = result.proven.find((p) => p.subject === 'eu-west -> msk-scram (us-east) 9096 read [mirrormaker2]')!;
    expect(pull.evidence).toMatch(
      /region-us-east:aws_vpc_security_group_ingress_rule\.msk_ingress-peer-eu-west-0-scram/,
    );
    expect(pull.evidence).toContain('peering routes both ways');
    // A replication group without its label is no MirrorMaker 2 source: the path has nowhere to start.
    const unlabelled = planted(stacks, 'region-eu-west', (r) => {
      for (const group of Object.values(r.aws_eks_node_group)) {
        const labels = group.labels as Record<string, string>;
        if (labels['platform/node-kind'] === 'replication') labels['platform/node-kind'] = 'general';
      }
    });
    const problems = problemsOf(checkDataPaths({ plan, stacks: unlabelled }));
    expect(problems.filter((p) => p.startsWith('eu-west -> msk-scram (us-east)'))).toEqual([
      'eu-west -> msk-scram (us-east) 9096 read [mirrormaker2]: eu-west: no EKS node group subnets in region-eu-west of a node group labelled platform/node-kind=replication',
    ]);
    // Its application paths now start from the relabelled group too, whose subnets no data store admits.
    expect(
      problems.some((p) => /^eu-west -> aurora-writer .*eu-west's application subnet 10\.20\.96\.0\/22/.test(p)),
    ).toBe(true);
  });

  test('a SCRAM rule that misses a replication subnet fails the MirrorMaker 2 path', () => {
    const broken = planted(stacks, 'region-us-east', (r) => {
      delete r.aws_vpc_security_group_ingress_rule[
        nameOf(r, 'aws_vpc_security_group_ingress_rule', 'msk_ingress-peer-apac-1-scram')
      ];
    });
    expect(problemsOf(checkDataPaths({ plan, stacks: broken }))).toEqual([
      expect.stringMatching(
        /^apac -> msk-scram \(us-east\) 9096 read \[mirrormaker2\]: msk \(us-east\): no ingress rule on .* admits tcp 9096 from apac's mirrormaker2 subnet 10\.30\.100\.0\/22/,
      ),
    ]);
  });

  test('brokers admitting more of another region than its MirrorMaker 2 subnets are reported', () => {
    for (const cidr of ['10.20.0.0/20', '10.20.0.0/16', '10.20.96.0/21']) {
      const broken = planted(stacks, 'region-us-east', (r) => {
        const name = nameOf(r, 'aws_vpc_security_group_ingress_rule', 'msk_ingress-peer-eu-west-0-scram');
        r.aws_vpc_security_group_ingress_rule[`${name}-wider`] = {
          ...r.aws_vpc_security_group_ingress_rule[name],
          cidr_ipv4: cidr,
        };
      });
      expect([cidr, problemsOf(checkDataPaths({ plan, stacks: broken }))]).toEqual([
        cidr,
        [
          expect.stringMatching(
            new RegExp(
              `^msk \\(us-east\\): region-us-east:aws_vpc_security_group_ingress_rule\\.msk_ingress-peer-eu-west-0-scram_\\w+-wider admits ${cidr.replace(/\./g, '\\.')} of eu-west: only eu-west's MirrorMaker 2 subnets \\(10\\.20\\.96\\.0/22, 10\\.20\\.100\\.0/22, 10\\.20\\.104\\.0/22\\) may reach the brokers`,
            ),
          ),
        ],
      ]);
    }
  });

  test('a rule open to the internet is reported even when every path is open', () => {
    const broken = planted(stacks, 'data-eu-west', (r) => {
      const name = nameOf(r, 'aws_vpc_security_group_ingress_rule', 'aurora_ingress-peer-apac-0');
      r.aws_vpc_security_group_ingress_rule[name] = {
        ...r.aws_vpc_security_group_ingress_rule[name],
        cidr_ipv4: '0.0.0.0/0',
      };
    });
    expect(problemsOf(checkDataPaths({ plan, stacks: broken }))).toEqual([
      expect.stringMatching(
        /^aurora \(eu-west\): data-eu-west:aws_vpc_security_group_ingress_rule\.aurora_ingress-peer-apac-0_\w+ admits 0\.0\.0\.0\/0, outside every platform VPC/,
      ),
    ]);
  });
});

describe('data paths with five regions (two cache readers)', () => {
  // The README's recipe regions: Oregon reads us-east's member, Tokyo reads Singapore's.
  // From production's three seed regions, so the test holds after a region is added to production.
  const config: PlatformConfig = {
    ...threeRegions,
    regions: [
      ...threeRegions.regions,
      { key: 'us-west', code: 'us-west-2', role: 'secondary', vpcCidr: '10.40.0.0/16', azCount: 3 },
      { key: 'tokyo', code: 'ap-northeast-1', role: 'secondary', vpcCidr: '10.50.0.0/16', azCount: 3 },
    ],
  };
  const plan = resolvePlan(config);
  let synth: SynthOutput;
  beforeAll(() => {
    synth = synthOnce(config);
  });

  test('every declared path is proven', () => {
    expectAllProven(plan, checkDataPaths({ plan, stacks: stacksOf(synth) }));
  });

  test('a reader region has no cache of its own and its application reads the nearest member', () => {
    expect(plan.regions.map((r) => [r.key, r.cache.role, r.cache.readsFrom]).slice(3)).toEqual([
      ['us-west', 'reader', 'us-east'],
      ['tokyo', 'reader', 'apac'],
    ]);
    for (const key of ['us-west', 'tokyo']) {
      expect(resources(synth.stack(`data-${key}`), 'aws_elasticache_replication_group')).toHaveLength(0);
    }
    const [configMap] = resources(synth.stack('workloads-tokyo'), 'kubernetes_config_map_v1');
    const data = configMap.data as Record<string, string>;
    expect(data.CACHE_READER_HOST).toMatch(
      /input-data-apac\.outputs\..*aws_elasticache_replication_groupcache_group.*reader_endpoint_address/,
    );
    expect(data.CACHE_WRITER_HOST).toMatch(/input-global\.outputs\..*cache-primary.*primary_endpoint_address/);
  });

  test("the member a reader reads admits the reader's application subnets", () => {
    const result = checkDataPaths({ plan, stacks: stacksOf(synth) });
    const read = result.proven.find((p) => p.subject === 'tokyo -> cache-reader (apac) 6379 read');
    expect(read?.evidence).toMatch(/data-apac:aws_vpc_security_group_ingress_rule\.cache_ingress-peer-tokyo-0_\w+/);
    expect(read?.evidence).toMatch(/peering routes both ways/);
  });
});
