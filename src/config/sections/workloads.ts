import type { HelmChartPin, WorkloadCharts } from '../types';
import type { ConfigCheck } from './section';
import { isIntIn } from './util';

const REPOSITORY_RE = /^(https:\/\/|oci:\/\/)[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~/-]*)?$/;
const CHART_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// Exact SemVer 2.0 (helm accepts ranges too; a pin must not be one).
const VERSION_RE = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const DNS_LABEL_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const PATH_RE = /^\/[A-Za-z0-9._~/-]*$/;

export const CHART_KEYS: readonly (keyof WorkloadCharts)[] = [
  'awsLoadBalancerController',
  'clusterAutoscaler',
  'metricsServer',
  'kubePrometheusStack',
  'nvidiaDevicePlugin',
  'strimziKafkaOperator',
  'application',
];

/** The workloads section: every chart pinned to a repository and an exact version. */
export const validateWorkloads: ConfigCheck = (config, issues) => {
  const w = config.workloads;
  if (w === null || typeof w !== 'object') {
    issues.add('workloads', w, 'expected the workloads settings (charts, application, namespaces)');
    return;
  }
  const charts = (w.charts ?? {}) as Partial<WorkloadCharts>;
  for (const key of CHART_KEYS) {
    const at = `workloads.charts.${key}`;
    const pin = charts[key] as HelmChartPin | undefined;
    if (pin === null || typeof pin !== 'object') {
      issues.add(at, pin, 'expected { repository, chart, version }');
      continue;
    }
    issues.check(
      typeof pin.repository === 'string' && REPOSITORY_RE.test(pin.repository),
      `${at}.repository`,
      pin.repository,
      'expected an https:// chart repository or an oci:// registry path',
    );
    issues.check(
      typeof pin.chart === 'string' && CHART_RE.test(pin.chart),
      `${at}.chart`,
      pin.chart,
      'expected a chart name: lowercase letters, digits and hyphens',
    );
    issues.check(
      typeof pin.version === 'string' && VERSION_RE.test(pin.version),
      `${at}.version`,
      pin.version,
      'expected an exact chart version such as "1.13.0" (no ranges, no "latest")',
    );
  }
  const app = w.application;
  if (app === null || typeof app !== 'object') {
    issues.add('workloads.application', app, 'expected { namespace, port, readinessPath }');
  } else {
    issues.check(
      isIntIn(app.port, 1024, 65535),
      'workloads.application.port',
      app.port,
      'expected an unprivileged TCP port from 1024 to 65535',
    );
    issues.check(
      typeof app.readinessPath === 'string' && PATH_RE.test(app.readinessPath),
      'workloads.application.readinessPath',
      app.readinessPath,
      'expected an absolute HTTP path such as "/actuator/health/readiness"',
    );
  }
  const namespaces: [string, unknown][] = [
    ['workloads.application.namespace', app?.namespace],
    ['workloads.monitoringNamespace', w.monitoringNamespace],
    ['workloads.nodeAgentsNamespace', w.nodeAgentsNamespace],
    ['workloads.kafkaNamespace', w.kafkaNamespace],
  ];
  const seen = new Map<unknown, string>();
  for (const [path, ns] of namespaces) {
    if (
      issues.check(
        typeof ns === 'string' && DNS_LABEL_RE.test(ns) && !ns.startsWith('kube-'),
        path,
        ns,
        'expected a Kubernetes namespace name (DNS label) outside the reserved kube-* names',
      )
    ) {
      const first = seen.get(ns);
      if (first) issues.add(path, ns, `expected a namespace of its own; ${first} already uses it`);
      else seen.set(ns, path);
    }
  }
};
