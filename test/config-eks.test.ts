import { resolvePlan } from '../src/plan/resolve';
import { generalNodes, gpuNodes } from '../src/config/environments/compute';
import { production } from '../src/config/environments/production';
import { staging } from '../src/config/environments/staging';
import type { NodeGroupSettings, PlatformConfig } from '../src/config/types';
import { type Mutable, messages, SEED_REGION_KEYS, variant } from './support/config';

/** Node group `g` of region `r`'s override, writable. */
const group = (c: Mutable<PlatformConfig>, r: number, g: number) =>
  (c.regions[r].overrides!.eks!.nodeGroups as Mutable<NodeGroupSettings>[])[g];
/** Replaces the node groups of region `r`'s override. */
const setGroups = (c: Mutable<PlatformConfig>, r: number, groups: NodeGroupSettings[]) =>
  ((c.regions[r].overrides!.eks as { nodeGroups: NodeGroupSettings[] }).nodeGroups = groups);

describe('compute configuration', () => {
  test.each([
    ['production', production],
    ['staging', staging],
  ])('%s is valid', (_name, config) => {
    expect(messages(config)).toBe('');
  });

  test('production node groups are those of seed 003 with 2x headroom', () => {
    // The seed's regions (a region added later has its own sizing).
    const seed = production.regions.filter((r) => SEED_REGION_KEYS.includes(r.key));
    expect(seed.map((r) => [r.key, r.overrides?.eks?.nodeGroups ?? production.defaults.eks.nodeGroups])).toEqual([
      ['us-east', [generalNodes(3), gpuNodes(2)]],
      ['eu-west', [generalNodes(3)]],
      ['apac', [generalNodes(2)]],
    ]);
  });

  test.each<[string, (c: Mutable<PlatformConfig>) => void, RegExp]>([
    [
      'unknown GPU instance family',
      (c) => (group(c, 0, 1).instanceTypes = ['m6i.xlarge']),
      /regions\[0\]\.overrides\.eks\.nodeGroups\[1\]\.instanceTypes\[0\]: got "m6i\.xlarge"; expected an NVIDIA GPU instance family .*got family "m6i"/,
    ],
    [
      'GPU instance in a general group',
      (c) => (c.defaults.eks.nodeGroups[0].instanceTypes = ['g5.xlarge']),
      /defaults\.eks\.nodeGroups\[0\]\.instanceTypes\[0\]: got "g5\.xlarge"; expected a non-GPU instance type in a "general" group/,
    ],
    [
      'min above max',
      (c) => Object.assign(c.defaults.eks.nodeGroups[0], { minSize: 7, desiredSize: 7, maxSize: 6 }),
      /defaults\.eks\.nodeGroups\[0\]\.minSize: got 7; expected at most maxSize \(6\)/,
    ],
    [
      'desired outside the bounds',
      (c) => Object.assign(group(c, 0, 0), { minSize: 3, desiredSize: 2, maxSize: 6 }),
      /regions\[0\]\.overrides\.eks\.nodeGroups\[0\]\.desiredSize: got 2; expected a value from minSize \(3\) to maxSize \(6\)/,
    ],
    [
      'capacity below twice the desired size',
      (c) => (group(c, 2, 0).maxSize = 3),
      /regions\[2\]\.overrides\.eks\.nodeGroups\[0\]\.maxSize: got 3; expected at least 2x desiredSize \(4\): each region keeps the capacity to take another region's traffic/,
    ],
    [
      'empty admin list with the public endpoint off and no other access path',
      (c) => (c.defaults.eks.adminRoleNames = []),
      /defaults\.eks\.adminRoleNames: got \[\]; expected at least one admin role in us-east: with clusterCreatorAdmin false and the public endpoint off no one could administer the cluster/,
    ],
    [
      'empty admin list in one region override',
      (c) => (c.regions[1].overrides = { eks: { adminRoleNames: [] } }),
      /regions\[1\]\.overrides\.eks\.adminRoleNames: got \[\]; expected at least one admin role in eu-west/,
    ],
    [
      'public endpoint open to the world',
      (c) => Object.assign(c.defaults.eks, { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] }),
      /defaults\.eks\.publicAccessCidrs\[0\]: got "0\.0\.0\.0\/0"; expected a bounded range: the cluster API is never open to the whole internet/,
    ],
    [
      'public endpoint without CIDRs',
      (c) => Object.assign(c.defaults.eks, { endpointPublicAccess: true, publicAccessCidrs: [] }),
      /defaults\.eks\.publicAccessCidrs: got \[\]; expected at least one CIDR in us-east/,
    ],
    [
      'Kubernetes version out of standard support',
      (c) => (c.defaults.eks.kubernetesVersion = '1.31'),
      /defaults\.eks\.kubernetesVersion: got "1\.31"; expected a Kubernetes version in EKS standard support: 1\.34 \(until 2026-12-02\), 1\.35 \(until 2027-03-27\)/,
    ],
    [
      'kube-proxy of another minor',
      (c) => (c.regions[1].overrides = { eks: { kubernetesVersion: '1.34' } }),
      /regions\[1\]\.overrides\.eks\.addonVersions\.kubeProxy: got "v1\.35\.0-eksbuild\.2"; expected a kube-proxy build for Kubernetes 1\.34 \(v1\.34\.x-eksbuild\.N\) in eu-west/,
    ],
    [
      'cluster autoscaler of another minor',
      (c) => (c.defaults.eks.clusterAutoscalerImageTag = 'v1.32.1'),
      /defaults\.eks\.clusterAutoscalerImageTag: got "v1\.32\.1"; expected a cluster autoscaler release for Kubernetes 1\.35/,
    ],
    [
      'unpinned add-on',
      (c) => (c.defaults.eks.addonVersions.coredns = 'latest'),
      /defaults\.eks\.addonVersions\.coredns: got "latest"; expected an exact EKS add-on version/,
    ],
    [
      'mixed CPU architectures in one group',
      (c) => (c.defaults.eks.nodeGroups[0].instanceTypes = ['m6i.xlarge', 'm7g.xlarge']),
      /defaults\.eks\.nodeGroups\[0\]\.instanceTypes: got \["m6i\.xlarge","m7g\.xlarge"\]; expected instance types of one CPU architecture/,
    ],
    [
      'only GPU groups',
      (c) => setGroups(c, 0, [gpuNodes(2)]),
      /regions\[0\]\.overrides\.eks\.nodeGroups: got \["gpu"\]; expected at least one "general" group/,
    ],
    [
      'duplicate group names',
      (c) => setGroups(c, 0, [generalNodes(3), generalNodes(2)]),
      /regions\[0\]\.overrides\.eks\.nodeGroups\[1\]\.name: got "general"; expected a unique name/,
    ],
    [
      'admin role given as an ARN',
      (c) => (c.defaults.eks.adminRoleNames = ['arn:aws:iam::111122223333:role/admin']),
      /defaults\.eks\.adminRoleNames\[0\]: got "arn:aws:iam::111122223333:role\/admin"; expected an IAM role name/,
    ],
    [
      'reserved label prefix',
      (c) => (c.defaults.eks.nodeGroups[0].labels = { 'platform/node-kind': 'x' }),
      /defaults\.eks\.nodeGroups\[0\]\.labels\.platform\/node-kind: got "platform\/node-kind"; expected a Kubernetes label key/,
    ],
    [
      'TLS policy allowing TLS 1.0',
      (c) => (c.defaults.ingress.sslPolicy = 'ELBSecurityPolicy-2016-08'),
      /defaults\.ingress\.sslPolicy: got "ELBSecurityPolicy-2016-08"; expected a TLS 1\.2\+ ELB security policy/,
    ],
    [
      'unpinned chart',
      (c) => (c.workloads.charts.metricsServer.version = '^3.12'),
      /workloads\.charts\.metricsServer\.version: got "\^3\.12"; expected an exact chart version/,
    ],
    [
      'chart repository over plain HTTP',
      (c) => (c.workloads.charts.application.repository = 'http://charts.example.com'),
      /workloads\.charts\.application\.repository: got "http:\/\/charts\.example\.com"; expected an https:\/\/ chart repository or an oci:\/\/ registry path/,
    ],
    [
      'namespaces that collide',
      (c) => (c.workloads.kafkaNamespace = 'monitoring'),
      /workloads\.kafkaNamespace: got "monitoring"; expected a namespace of its own; workloads\.monitoringNamespace already uses it/,
    ],
    [
      'node agents sharing the monitoring namespace',
      (c) => (c.workloads.nodeAgentsNamespace = 'monitoring'),
      /workloads\.nodeAgentsNamespace: got "monitoring"; expected a namespace of its own; workloads\.monitoringNamespace already uses it/,
    ],
    [
      'a wildcard bucket readable through the S3 endpoint',
      (c) => ((c.defaults.network as { endpointReadBuckets?: string[] }).endpointReadBuckets = ['*']),
      /defaults\.network\.endpointReadBuckets\[0\]: got "\*"; expected an S3 bucket name/,
    ],
    [
      'privileged application port',
      (c) => (c.workloads.application.port = 80),
      /workloads\.application\.port: got 80; expected an unprivileged TCP port/,
    ],
  ])('%s is refused with a field-named error', (_name, change, expected) => {
    expect(() => resolvePlan(variant(change))).toThrow(expected);
  });

  test('every problem is reported at once', () => {
    const text = messages(
      variant((c) => {
        c.defaults.eks.logRetentionDays = 2;
        group(c, 2, 0).maxSize = 3;
      }),
    );
    expect(text).toMatch(/defaults\.eks\.logRetentionDays: got 2/);
    expect(text).toMatch(/regions\[2\]\.overrides\.eks\.nodeGroups\[0\]\.maxSize: got 3/);
  });
});
