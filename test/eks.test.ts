import { Testing } from 'cdktf';
import { EksCluster, vpcCniNetworkPolicyProblem } from '../modules/eks/cluster';
import { production } from '../src/config/environments/production';
import { clusterAdminRoles, clusterNodeGroups, resolvePlan } from '../src/plan/resolve';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';
import { regionalFixture } from './support/fixtures';

type Body = Record<string, unknown>;

const pathOf = (body: Body) => (body['//'] as { metadata: { path: string } }).metadata.path;

function named(stack: StackJson, type: string, pathSuffix: string): Body {
  const found = resources(stack, type).filter((b) => pathOf(b).endsWith(pathSuffix));
  if (found.length !== 1) throw new Error(`expected one ${type} at *${pathSuffix}, found ${found.length}`);
  return found[0];
}

function policyDoc(stack: StackJson, pathSuffix: string): Body[] {
  const docs = Object.values(stack.data?.aws_iam_policy_document ?? {}).filter((d) => pathOf(d).endsWith(pathSuffix));
  if (docs.length !== 1) throw new Error(`expected one policy document at *${pathSuffix}, found ${docs.length}`);
  return docs[0].statement as Body[];
}

/** Seed 003 node counts, with the 2x headroom of seed 001. */
// Every region also runs MirrorMaker 2 on its `replication` group (streaming.replication.nodes).
const replication = { min: 2, desired: 2, max: 4 };
const EXPECTED_GROUPS: Record<string, Record<string, { min: number; desired: number; max: number }>> = {
  'us-east': { general: { min: 3, desired: 3, max: 6 }, gpu: { min: 2, desired: 2, max: 4 }, replication },
  'eu-west': { general: { min: 3, desired: 3, max: 6 }, replication },
  apac: { general: { min: 2, desired: 2, max: 4 }, replication },
};
const REGIONS = Object.keys(EXPECTED_GROUPS);
const clusterName = (key: string) => `mi-production-${key}`;

describe('EKS per region (production)', () => {
  const synth = defaultSynth('production');
  const region = (key: string) => synth.stack(`region-${key}`);

  test.each(REGIONS)('%s: cluster on Kubernetes 1.35, private endpoint only, standard support only', (key) => {
    const cluster = named(region(key), 'aws_eks_cluster', '/eks/cluster');
    expect(cluster.name).toBe(clusterName(key));
    expect(cluster.version).toBe('1.35');
    expect(cluster.vpc_config).toEqual(
      expect.objectContaining({ endpoint_private_access: true, endpoint_public_access: false }),
    );
    expect((cluster.vpc_config as Body).public_access_cidrs).toBeUndefined();
    expect((cluster.vpc_config as Body).subnet_ids).toHaveLength(3);
    expect(cluster.upgrade_policy).toEqual({ support_type: 'STANDARD' });
    expect(cluster.lifecycle).toEqual({ prevent_destroy: true });
  });

  test.each(REGIONS)('%s: secrets envelope-encrypted with the regional key', (key) => {
    const cluster = named(region(key), 'aws_eks_cluster', '/eks/cluster');
    expect(cluster.encryption_config).toEqual({
      resources: ['secrets'],
      provider: { key_arn: expect.stringMatching(/^\$\{aws_kms_key\.kms_key_[0-9A-F]+\.arn\}$/) },
    });
  });

  test.each(REGIONS)('%s: every control-plane log type to an encrypted, retained group created first', (key) => {
    const stack = region(key);
    const cluster = named(stack, 'aws_eks_cluster', '/eks/cluster');
    expect(cluster.enabled_cluster_log_types).toEqual([
      'api',
      'audit',
      'authenticator',
      'controllerManager',
      'scheduler',
    ]);
    const group = named(stack, 'aws_cloudwatch_log_group', '/eks/control-plane-logs');
    expect(group).toEqual(
      expect.objectContaining({
        name: `/aws/eks/${clusterName(key)}/cluster`,
        retention_in_days: 365,
        kms_key_id: expect.stringContaining('aws_kms_key.kms_key_'),
      }),
    );
    expect(cluster.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\.eks_control-plane-logs_/)]),
    );
  });

  test.each(REGIONS)('%s: API authentication with the configured admin roles and the deploy role only', (key) => {
    const stack = region(key);
    expect(named(stack, 'aws_eks_cluster', '/eks/cluster').access_config).toEqual({
      authentication_mode: 'API',
      bootstrap_cluster_creator_admin_permissions: false,
    });
    const principals = resources(stack, 'aws_eks_access_entry').map((e) => e.principal_arn);
    expect(principals).toEqual([
      expect.stringMatching(/:role\/platform-admin$/),
      // The deploy role (security.deployRoleNames) applies the workloads stacks: an admin by construction.
      expect.stringMatching(/:role\/mi-production-deploy$/),
    ]);
    const associations = resources(stack, 'aws_eks_access_policy_association');
    expect(associations).toHaveLength(2);
    for (const a of associations) {
      expect(a.policy_arn).toMatch(/:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/);
      expect(a.access_scope).toEqual({ type: 'cluster' });
    }
  });

  test.each(REGIONS)('%s: OIDC provider for IRSA and pinned core add-ons', (key) => {
    const stack = region(key);
    const oidc = resources(stack, 'aws_iam_openid_connect_provider');
    expect(oidc).toHaveLength(1);
    expect(oidc[0].client_id_list).toEqual(['sts.amazonaws.com']);
    expect(oidc[0].url).toMatch(/aws_eks_cluster\.eks_cluster_.*\.identity\[0\]\.oidc\[0\]\.issuer/);
    const addons = Object.fromEntries(resources(stack, 'aws_eks_addon').map((a) => [a.addon_name, a]));
    expect(Object.fromEntries(Object.entries(addons).map(([n, a]) => [n, (a as Body).addon_version]))).toEqual({
      'vpc-cni': 'v1.21.1-eksbuild.3',
      coredns: 'v1.13.2-eksbuild.1',
      'kube-proxy': 'v1.35.0-eksbuild.2',
      'aws-ebs-csi-driver': 'v1.57.1-eksbuild.1',
      'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
    });
    // CNI and EBS CSI run on IRSA roles, not on the node role.
    expect(addons['vpc-cni'].service_account_role_arn).toMatch(/vpc-cni-role/);
    expect(addons['aws-ebs-csi-driver'].service_account_role_arn).toMatch(/ebs-csi-role/);
    // Deployments wait for nodes; the CNI comes before them.
    expect(addons.coredns.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_node_group\./)]));
    const anyGroup = resources(stack, 'aws_eks_node_group')[0];
    expect(anyGroup.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/addon-vpc-cni/)]));
  });

  test.each(REGIONS)(
    '%s: the VPC CNI enforces network policies (enableNetworkPolicy), the other add-ons keep defaults',
    (key) => {
      const addons = Object.fromEntries(resources(region(key), 'aws_eks_addon').map((a) => [a.addon_name, a]));
      expect(JSON.parse(addons['vpc-cni'].configuration_values as string)).toEqual({ enableNetworkPolicy: 'true' });
      expect(addons.coredns.configuration_values).toBeUndefined();
    },
  );

  test.each(REGIONS)('%s: node groups of seed 003 with 2x headroom, desired size left to the autoscaler', (key) => {
    const groups = resources(region(key), 'aws_eks_node_group');
    const byName = Object.fromEntries(
      groups.map((g) => [String(g.node_group_name).replace(`${clusterName(key)}-`, ''), g.scaling_config]),
    );
    const expected = Object.fromEntries(
      Object.entries(EXPECTED_GROUPS[key]).map(([n, s]) => [
        n,
        { min_size: s.min, desired_size: s.desired, max_size: s.max },
      ]),
    );
    expect(byName).toEqual(expected);
    for (const g of groups) {
      expect(g.lifecycle).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
      expect(g.version).toMatch(/aws_eks_cluster\.eks_cluster_.*\.version/);
      expect(g.remote_access).toBeUndefined();
    }
  });

  test.each(REGIONS)('%s: general nodes untainted on the AL2023 AMI; GPU nodes only where configured', (key) => {
    const groups = resources(region(key), 'aws_eks_node_group');
    const general = groups.find((g) => (g.labels as Body)['platform/node-kind'] === 'general')!;
    expect(general).toEqual(
      expect.objectContaining({
        ami_type: 'AL2023_x86_64_STANDARD',
        instance_types: ['m6i.xlarge'],
        capacity_type: 'ON_DEMAND',
      }),
    );
    expect(general.taint).toBeUndefined();
    const gpu = groups.filter((g) => (g.labels as Body)['platform/node-kind'] === 'gpu');
    if (key !== 'us-east') {
      expect(gpu).toEqual([]);
      return;
    }
    expect(gpu).toHaveLength(1);
    expect(gpu[0]).toEqual(
      expect.objectContaining({
        ami_type: 'AL2023_x86_64_NVIDIA',
        instance_types: ['g5.xlarge'],
        taint: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }],
        labels: { 'platform/node-kind': 'gpu', 'platform/node-group': 'gpu', 'nvidia.com/gpu.present': 'true' },
      }),
    );
  });

  test.each(REGIONS)(
    '%s: MirrorMaker 2 nodes are tainted, in the replication subnets alone; every other group in the private subnets',
    (key) => {
      const stack = region(key);
      const groups = resources(stack, 'aws_eks_node_group');
      const tierOf = (ref: unknown) => {
        const name = /aws_subnet\.([^.]+)\.id/.exec(String(ref))![1];
        return (stack.resource!.aws_subnet[name].tags as Body).tier;
      };
      const replicationGroups = groups.filter((g) => (g.labels as Body)['platform/node-kind'] === 'replication');
      expect(replicationGroups).toHaveLength(1);
      expect(replicationGroups[0]).toEqual(
        expect.objectContaining({
          ami_type: 'AL2023_x86_64_STANDARD',
          instance_types: ['m6i.large'],
          taint: [{ key: 'platform/dedicated', value: 'kafka-replication', effect: 'NO_SCHEDULE' }],
          labels: { 'platform/node-kind': 'replication', 'platform/node-group': 'replication' },
        }),
      );
      for (const g of groups) {
        const tiers = new Set((g.subnet_ids as string[]).map(tierOf));
        const isReplication = g === replicationGroups[0];
        expect([...tiers]).toEqual([isReplication ? 'replication' : 'private']);
        expect(g.subnet_ids as string[]).toHaveLength(3);
      }
    },
  );

  test.each(REGIONS)('%s: launch templates require IMDSv2 (hop limit 1) and encrypt gp3 roots with the key', (key) => {
    const templates = resources(region(key), 'aws_launch_template');
    expect(templates).toHaveLength(Object.keys(EXPECTED_GROUPS[key]).length);
    for (const t of templates) {
      expect(t.metadata_options).toEqual({
        http_endpoint: 'enabled',
        http_tokens: 'required',
        http_put_response_hop_limit: 1,
        instance_metadata_tags: 'disabled',
      });
      expect(t.block_device_mappings).toEqual([
        {
          device_name: '/dev/xvda',
          ebs: expect.objectContaining({
            volume_type: 'gp3',
            encrypted: 'true',
            kms_key_id: expect.stringContaining('aws_kms_key.kms_key_'),
          }),
        },
      ]);
      // The node group only: the EKS cluster group (allow-all egress, managed by EKS) stays off the nodes.
      expect(t.vpc_security_group_ids).toEqual([
        expect.stringMatching(/^\$\{aws_security_group\.eks_node-sg_.*\.id\}$/),
      ]);
    }
  });

  test.each(REGIONS)('%s: the key lets EC2 Auto Scaling use it for node volumes', (key) => {
    const statements = policyDoc(region(key), '/kms/policy/document');
    // The role is named in a condition, not as a principal: a fresh account has no such role yet.
    const asg = statements.filter((s) => JSON.stringify(s.condition ?? []).includes('AWSServiceRoleForAutoScaling'));
    expect(asg.map((s) => s.sid)).toEqual([
      'AutoScalingUseForEncryptedVolumes',
      'AutoScalingGrantsForEncryptedVolumes',
    ]);
    for (const s of asg) expect(s.principals).toEqual([{ type: 'AWS', identifiers: ['*'] }]);
    expect(asg[1].condition).toEqual([
      { test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] },
      {
        test: 'ArnLike',
        variable: 'aws:PrincipalArn',
        values: [
          expect.stringMatching(/:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/),
        ],
      },
    ]);
  });

  test.each(REGIONS)('%s: controller roles are scoped (target group, tagged Auto Scaling groups)', (key) => {
    const stack = region(key);
    const lbc = policyDoc(stack, '/workload-roles/load-balancer-controller/permissions/document');
    const writes = lbc.filter((s) => (s.actions as string[]).some((a) => !/:(Describe|Get)/.test(a)));
    expect(writes).toEqual([
      expect.objectContaining({
        actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
        resources: [expect.stringMatching(/^\$\{aws_lb_target_group\.ingress_app_.*\.arn\}$/)],
      }),
    ]);
    const ca = policyDoc(stack, '/workload-roles/cluster-autoscaler/permissions/document');
    const scale = ca.find((s) => (s.actions as string[]).includes('autoscaling:SetDesiredCapacity'))!;
    expect(scale.condition).toEqual(
      expect.arrayContaining([
        {
          test: 'StringEquals',
          variable: `aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName(key)}`,
          values: ['owned'],
        },
      ]),
    );
    const trust = policyDoc(stack, '/workload-roles/load-balancer-controller/trust/document');
    expect(trust[0].condition).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ values: ['system:serviceaccount:kube-system:aws-load-balancer-controller'] }),
        expect.objectContaining({ values: ['sts.amazonaws.com'] }),
      ]),
    );
  });

  test.each(REGIONS)('%s: security groups for other modules are outputs', (key) => {
    const outputs = region(key).output ?? {};
    expect(outputs.eks_cluster_security_group_id.value).toMatch(/vpc_config\[0\]\.cluster_security_group_id/);
    expect(outputs.eks_node_security_group_id.value).toMatch(/aws_security_group\.eks_node-sg_.*\.id/);
    expect(outputs.eks_cluster_name.value).toMatch(/aws_eks_cluster\.eks_cluster_.*\.name/);
  });
});

describe('EksCluster with a public endpoint', () => {
  test('lists only the configured CIDRs', () => {
    const { stack, key, network } = regionalFixture('eu-west-1');
    new EksCluster(stack, 'eks', {
      clusterName: 't',
      kubernetesVersion: '1.35',
      network,
      kmsKey: key,
      accountId: '111122223333',
      partition: 'aws',
      endpointPublicAccess: true,
      publicAccessCidrs: ['198.51.100.0/24'],
      adminPrincipalArns: [],
      logRetentionDays: 30,
      addonVersions: { vpcCni: 'v1', coredns: 'v1', kubeProxy: 'v1', ebsCsiDriver: 'v1', podIdentityAgent: 'v1' },
      nodeGroups: [],
    });
    const json = JSON.parse(Testing.synth(stack)) as StackJson;
    const cluster = resources(json, 'aws_eks_cluster')[0];
    expect(cluster.vpc_config).toEqual(
      expect.objectContaining({
        endpoint_private_access: true,
        endpoint_public_access: true,
        public_access_cidrs: ['198.51.100.0/24'],
      }),
    );
    expect(resources(json, 'aws_eks_access_entry')).toEqual([]);
  });
});

describe('vpc-cni versions and network policies', () => {
  test.each(['v1.14.0-eksbuild.3', 'v1.21.1-eksbuild.3', 'v2.0.0-eksbuild.1'])('%s enforces them', (version) => {
    expect(vpcCniNetworkPolicyProblem(version)).toBeUndefined();
  });
  test.each([
    ['v1.13.4-eksbuild.1', /v1\.13\.4-eksbuild\.1 has no network policy agent \(needs v1\.14 or later\)/],
    ['1.21.1', /expected a version like v1\.21\.1-eksbuild\.3, got 1\.21\.1/],
  ])('%s is refused', (version, message) => {
    expect(vpcCniNetworkPolicyProblem(version)).toMatch(message);
  });
});

describe('EksCluster: a replication group needs replication subnets', () => {
  test('refused, naming the group, when the network has none', () => {
    const { stack, key, network } = regionalFixture('eu-west-1');
    const replicationGroup = clusterNodeGroups([], production.streaming.replication)[0];
    expect(network.replicationSubnets).toEqual([]);
    expect(
      () =>
        new EksCluster(stack, 'eks', {
          ...production.defaults.eks,
          clusterName: 'mi-test',
          nodeGroups: [production.defaults.eks.nodeGroups[0], replicationGroup],
          network,
          kmsKey: key,
          accountId: '111111111111',
          partition: 'aws',
          adminPrincipalArns: [],
        }),
    ).toThrow(
      'node group replication is of kind replication, but the network has no replication subnets (Network replicationSubnets)',
    );
  });
});

describe('clusterNodeGroups: the MirrorMaker 2 group joins each region in mirrormaker2 mode only', () => {
  const replication = production.streaming.replication;
  const groups = production.defaults.eks.nodeGroups;

  test('mirrormaker2: the configured groups, then the replication group of streaming.replication.nodes', () => {
    expect(clusterNodeGroups(groups, replication)).toEqual([
      ...groups,
      { ...replication.nodes, name: 'replication', kind: 'replication', labels: {} },
    ]);
  });

  test('msk-replicator: the configured groups alone (the managed replicator runs outside the cluster)', () => {
    expect(clusterNodeGroups(groups, { ...replication, mode: 'msk-replicator' })).toEqual(groups);
  });
});

describe('clusterAdminRoles: who gets a cluster access entry', () => {
  test('the admin roles, then each deploy role not listed yet, each once', () => {
    expect(clusterAdminRoles(['platform-admin'], ['mi-production-deploy'])).toEqual([
      'platform-admin',
      'mi-production-deploy',
    ]);
    expect(clusterAdminRoles(['platform-admin', 'mi-production-deploy'], ['mi-production-deploy'])).toEqual([
      'platform-admin',
      'mi-production-deploy',
    ]);
    expect(clusterAdminRoles([], ['deploy-a', 'deploy-b', 'deploy-a'])).toEqual(['deploy-a', 'deploy-b']);
  });

  test("the plan's merged EKS settings of every region carry the deploy role", () => {
    for (const region of resolvePlan(production).regions) {
      expect(region.settings.eks.adminRoleNames).toEqual(['platform-admin', 'mi-production-deploy']);
    }
  });

  test('a deploy role pattern names no single role: no entry for it', () => {
    expect(clusterAdminRoles(['platform-admin'], ['mi-*-deploy', 'mi-production-deploy'])).toEqual([
      'platform-admin',
      'mi-production-deploy',
    ]);
  });
});
