import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { production } from '../src/config/environments/production';
import { localChartVersion, TARGET_GROUP_BINDING_CHART } from '../src/stacks/workloads-stack';
import { resolvePlan } from '../src/plan/resolve';
import { defaultSynth } from './support/shared-synth';
import { allResources, resources } from './support/stack-json';

type Body = Record<string, unknown>;
type SetEntry = { name: string; value?: string; type?: string };
const REGIONS = resolvePlan(production).regions.map((r) => r.key);

const setOf = (release: Body): Record<string, string | undefined> =>
  Object.fromEntries(((release.set ?? []) as SetEntry[]).map((s) => [s.name, s.value]));

describe('workloads stacks (production)', () => {
  const synth = defaultSynth('production');
  const stack = (key: string) => synth.stack(`workloads-${key}`);
  const releases = (key: string) => Object.fromEntries(resources(stack(key), 'helm_release').map((r) => [r.name, r]));

  test('one workloads stack per region', () => {
    expect(synth.stackIds.filter((id) => id.startsWith('workloads-')).sort()).toEqual(
      REGIONS.map((k) => `workloads-${k}`).sort(),
    );
  });

  test.each(REGIONS)('%s: kubernetes and helm providers use exec auth from the regional cluster, no token', (key) => {
    const json = stack(key);
    const exec = {
      api_version: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: [
        'eks',
        'get-token',
        '--cluster-name',
        `mi-production-${key}`,
        '--region',
        expect.any(String),
        '--output',
        'json',
      ],
    };
    const kubernetes = json.provider?.kubernetes?.[0] as Body;
    const helm = (json.provider?.helm?.[0] as Body).kubernetes as Body;
    for (const p of [kubernetes, helm]) {
      expect(p.host).toMatch(/terraform_remote_state\.cross-stack-reference-input-region-[a-z-]+\.outputs\..*endpoint/);
      expect(p.cluster_ca_certificate).toMatch(/^\$\{base64decode\(.*certificate_authority0data\)\}$/);
      expect(p.token).toBeUndefined();
      expect(p.config_path).toBeUndefined();
    }
    expect(kubernetes.exec).toEqual([exec]);
    expect(helm.exec).toEqual(exec);
    const region = production.regions.find((r) => r.key === key)!;
    expect((kubernetes.exec as Body[])[0].args).toContain(region.code);
    expect(JSON.stringify(json.provider)).not.toMatch(/data\.aws_eks_cluster_auth/);
  });

  test.each(REGIONS)('%s: no AWS provider or resource in the workloads stack', (key) => {
    const json = stack(key);
    expect(Object.keys(json.terraform.required_providers).sort()).toEqual(['helm', 'kubernetes']);
    expect(allResources(json).filter((r) => r.type.startsWith('aws_'))).toEqual([]);
    expect(Object.keys(json.data ?? {}).filter((t) => t.startsWith('aws_'))).toEqual([]);
  });

  test.each(REGIONS)('%s: every release pins a chart version and a repository (or ships its chart)', (key) => {
    const outdir = join(synth.outdir, 'stacks', `workloads-${key}`);
    for (const r of resources(stack(key), 'helm_release')) {
      const chart = String(r.chart);
      if (chart.startsWith('assets/')) {
        // A chart shipped inside the stack folder: pinned by its content.
        expect(existsSync(join(outdir, chart, 'Chart.yaml'))).toBe(true);
        continue;
      }
      expect(r.repository).toMatch(/^(https|oci):\/\//);
      expect(r.version).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  test.each(REGIONS)('%s: the platform releases with the versions of the configuration', (key) => {
    const byName = releases(key);
    const charts = production.workloads.charts;
    const expected: Record<string, { repository: string; chart: string; version: string }> = {
      'aws-load-balancer-controller': charts.awsLoadBalancerController,
      'cluster-autoscaler': charts.clusterAutoscaler,
      'metrics-server': charts.metricsServer,
      'kube-prometheus-stack': charts.kubePrometheusStack,
      'strimzi-kafka-operator': charts.strimziKafkaOperator,
      'market-intelligence': charts.application,
      ...(key === 'us-east' ? { 'nvidia-device-plugin': charts.nvidiaDevicePlugin } : {}),
    };
    for (const [name, pin] of Object.entries(expected)) {
      expect(byName[name]).toEqual(expect.objectContaining({ ...pin, atomic: true }));
    }
    // The device plugin runs only where there are GPU nodes.
    if (key !== 'us-east') expect(byName['nvidia-device-plugin']).toBeUndefined();
  });

  test('the NVIDIA device plugin targets and tolerates the GPU nodes only', () => {
    expect(setOf(releases('us-east')['nvidia-device-plugin'])).toEqual({
      'nodeSelector.platform/node-kind': 'gpu',
      'tolerations[0].key': 'nvidia.com/gpu',
      'tolerations[0].operator': 'Exists',
      'tolerations[0].effect': 'NoSchedule',
    });
  });

  test.each(REGIONS)('%s: pod security: only the node agents privileged, monitoring restricted', (key) => {
    const w = production.workloads;
    const levels = Object.fromEntries(
      resources(stack(key), 'kubernetes_namespace_v1').map((n) => {
        const { name, labels } = n.metadata as { name: string; labels: Record<string, string> };
        return [name, labels['pod-security.kubernetes.io/enforce']];
      }),
    );
    expect(levels).toEqual({
      [w.nodeAgentsNamespace]: 'privileged',
      [w.monitoringNamespace]: 'restricted',
      [w.kafkaNamespace]: 'baseline',
      [w.application.namespace]: 'baseline',
      clickhouse: 'baseline',
    });
    // node-exporter (host network, host PID, host paths) leaves the monitoring namespace for the agents'.
    const kps = releases(key)['kube-prometheus-stack'];
    expect(setOf(kps)['prometheus-node-exporter.namespaceOverride']).toBe(w.nodeAgentsNamespace);
    expect(kps.namespace).toBe(w.monitoringNamespace);
    expect(kps.depends_on).toEqual(expect.arrayContaining([`kubernetes_namespace_v1.ns-${w.nodeAgentsNamespace}`]));
  });

  test('the NVIDIA device plugin (a node agent) runs in the node agents namespace', () => {
    const plugin = releases('us-east')['nvidia-device-plugin'];
    expect(plugin.namespace).toBe(production.workloads.nodeAgentsNamespace);
    expect(plugin.depends_on).toEqual([`kubernetes_namespace_v1.ns-${production.workloads.nodeAgentsNamespace}`]);
  });

  test.each(REGIONS)('%s: Prometheus labels its series with the region; Grafana password never in state', (key) => {
    const values = setOf(releases(key)['kube-prometheus-stack']);
    expect(values['prometheus.prometheusSpec.externalLabels.region']).toBe(key);
    // PodMonitors from other releases (MirrorMaker 2 in the kafka namespace) are selected too.
    expect(values['prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues']).toBe('false');
    expect(values['grafana.enabled']).toBe('true');
    expect(values['grafana.adminPassword']).toBe('');
    expect(values['prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName']).toBe(
      'gp3-encrypted',
    );
  });

  test.each(REGIONS)('%s: the application as the seed installs it, readiness on the actuator', (key) => {
    const app = releases(key)['market-intelligence'];
    expect(app.namespace).toBe('market-intelligence');
    expect(setOf(app)).toEqual(
      expect.objectContaining({
        region: key,
        'global.multiRegion': 'true',
        'readinessProbe.httpGet.path': '/actuator/health/readiness',
        'service.port': '8080',
        'serviceAccount.create': 'false',
        'serviceAccount.name': 'market-intelligence',
      }),
    );
  });

  test.each(REGIONS)('%s: controllers get region and VPC explicitly and run on IRSA service accounts', (key) => {
    const byName = releases(key);
    const lbc = setOf(byName['aws-load-balancer-controller']);
    expect(lbc).toEqual(
      expect.objectContaining({
        clusterName: `mi-production-${key}`,
        'serviceAccount.create': 'false',
        'serviceAccount.name': 'aws-load-balancer-controller',
        createIngressClassResource: 'false',
      }),
    );
    expect(lbc.vpcId).toMatch(/terraform_remote_state/);
    expect(setOf(byName['cluster-autoscaler'])).toEqual(
      expect.objectContaining({ 'autoDiscovery.clusterName': `mi-production-${key}`, 'image.tag': 'v1.35.0' }),
    );
    const accounts = Object.fromEntries(
      resources(stack(key), 'kubernetes_service_account_v1').map((sa) => {
        const m = sa.metadata as { name: string; namespace: string; annotations: Record<string, string> };
        return [`${m.namespace}/${m.name}`, m.annotations['eks.amazonaws.com/role-arn']];
      }),
    );
    for (const sa of [
      'kube-system/aws-load-balancer-controller',
      'kube-system/cluster-autoscaler',
      'market-intelligence/market-intelligence',
    ]) {
      expect(accounts[sa]).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-region-.*\}$/);
    }
  });

  test.each(REGIONS)('%s: TargetGroupBinding from the shipped chart, after the controller and the app', (key) => {
    const byName = releases(key);
    const tgb = byName['market-intelligence-tgb'];
    expect(tgb.repository).toBeUndefined();
    expect(tgb.version).toBe(localChartVersion(TARGET_GROUP_BINDING_CHART));
    const outdir = join(synth.outdir, 'stacks', `workloads-${key}`);
    const chartYaml = readFileSync(join(outdir, String(tgb.chart), 'Chart.yaml'), 'utf8');
    expect(chartYaml).toMatch(new RegExp(`^version: ${String(tgb.version).replace(/\./g, '\\.')}$`, 'm'));
    const template = readFileSync(join(outdir, String(tgb.chart), 'templates', 'targetgroupbinding.yaml'), 'utf8');
    expect(template).toMatch(/kind: TargetGroupBinding/);
    expect(template).toMatch(/targetType: ip/);
    expect(setOf(tgb)).toEqual(expect.objectContaining({ serviceName: 'market-intelligence', servicePort: '8080' }));
    expect(setOf(tgb).targetGroupArn).toMatch(/terraform_remote_state.*aws_lb_target_group/);
    expect(tgb.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^helm_release\.aws-load-balancer-controller/),
        expect.stringMatching(/^helm_release\.market-intelligence/),
      ]),
    );
    expect(resources(stack(key), 'kubernetes_manifest')).toEqual([]);
  });

  test.each(REGIONS)('%s: namespaces and the default encrypted StorageClass', (key) => {
    const json = stack(key);
    const namespaces = resources(json, 'kubernetes_namespace_v1').map((n) => (n.metadata as { name: string }).name);
    expect(namespaces).toEqual(expect.arrayContaining(['monitoring', 'kafka', 'market-intelligence']));
    const classes = resources(json, 'kubernetes_storage_class_v1');
    expect(classes).toEqual([
      expect.objectContaining({
        storage_provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: expect.stringMatching(/terraform_remote_state/) },
      }),
    ]);
  });
});
