import { parseCidr } from '../../../modules/common/cidr';
import {
  architectureOf,
  EKS_STANDARD_SUPPORT,
  GPU_INSTANCE_FAMILIES,
  instanceFamily,
  isGpuInstanceType,
  NODE_GROUP_KINDS,
  type NodeGroupKind,
} from '../../../modules/eks/types';
import type { IssueCollector } from '../errors';
import { type EksAddonVersions, type EksSettings, type NodeGroupSettings } from '../types';
import type { ConfigCheck, SectionValidator } from './section';
import { checkLogRetention, isInt } from './util';

const GROUP_NAME_RE = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;
const INSTANCE_TYPE_RE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const ROLE_NAME_RE = /^[\w+=,.@-]{1,64}$/;
const ADDON_VERSION_RE = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
const IMAGE_TAG_RE = /^v(\d+)\.(\d+)\.\d+$/;
// Kubernetes label key: optional DNS prefix + "/" + name of up to 63 characters.
const LABEL_KEY_RE = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE_RE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
export const MIN_DISK_GIB = 20;
export const MAX_DISK_GIB = 16384;
/** Each region keeps twice its steady-state capacity to absorb a failed region's traffic (seed 001). */
export const HEADROOM_FACTOR = 2;

const ADDON_FIELDS: readonly (keyof EksAddonVersions)[] = [
  'vpcCni',
  'coredns',
  'kubeProxy',
  'ebsCsiDriver',
  'podIdentityAgent',
];

/** Checks the fields present; with `complete` every field must be present (the defaults). */
export const validateEksSettings: SectionValidator<EksSettings> = (e, at, issues, complete) => {
  const has = (field: keyof EksSettings) => complete || e[field] !== undefined;
  if (has('kubernetesVersion')) {
    const supported = Object.entries(EKS_STANDARD_SUPPORT).map(([v, end]) => `${v} (until ${end})`);
    issues.check(
      typeof e.kubernetesVersion === 'string' && e.kubernetesVersion in EKS_STANDARD_SUPPORT,
      `${at}.kubernetesVersion`,
      e.kubernetesVersion,
      `expected a Kubernetes version in EKS standard support: ${supported.join(', ')}`,
    );
  }
  for (const field of ['endpointPublicAccess', 'clusterCreatorAdmin'] as const) {
    if (has(field)) {
      issues.check(typeof e[field] === 'boolean', `${at}.${field}`, e[field], 'expected true or false');
    }
  }
  if (has('publicAccessCidrs')) {
    const list = e.publicAccessCidrs;
    if (!Array.isArray(list)) {
      issues.add(`${at}.publicAccessCidrs`, list, 'expected a list of IPv4 CIDRs, e.g. ["198.51.100.0/24"]');
    } else {
      list.forEach((cidr, j) => {
        const parsed = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
        if (!parsed) {
          issues.add(`${at}.publicAccessCidrs[${j}]`, cidr, 'expected an IPv4 CIDR aligned to its prefix');
        } else {
          issues.check(
            parsed.prefix > 0,
            `${at}.publicAccessCidrs[${j}]`,
            cidr,
            'expected a bounded range: the cluster API is never open to the whole internet',
          );
        }
      });
    }
  }
  if (has('adminRoleNames')) {
    const list = e.adminRoleNames;
    if (!Array.isArray(list)) {
      issues.add(`${at}.adminRoleNames`, list, 'expected a list of IAM role names');
    } else {
      list.forEach((name, j) => {
        issues.check(
          typeof name === 'string' && ROLE_NAME_RE.test(name),
          `${at}.adminRoleNames[${j}]`,
          name,
          'expected an IAM role name (1-64 of letters, digits and +=,.@_-), not an ARN',
        );
        issues.check(list.indexOf(name) === j, `${at}.adminRoleNames[${j}]`, name, 'expected each role once');
      });
    }
  }
  if (has('logRetentionDays')) {
    checkLogRetention(issues, `${at}.logRetentionDays`, e.logRetentionDays);
  }
  if (has('addonVersions')) {
    const versions = e.addonVersions;
    if (versions === null || typeof versions !== 'object') {
      issues.add(`${at}.addonVersions`, versions, `expected versions for ${ADDON_FIELDS.join(', ')}`);
    } else {
      for (const field of ADDON_FIELDS) {
        issues.check(
          typeof versions[field] === 'string' && ADDON_VERSION_RE.test(versions[field]),
          `${at}.addonVersions.${field}`,
          versions[field],
          'expected an exact EKS add-on version such as "v1.21.1-eksbuild.3"',
        );
      }
    }
  }
  if (has('clusterAutoscalerImageTag')) {
    issues.check(
      typeof e.clusterAutoscalerImageTag === 'string' && IMAGE_TAG_RE.test(e.clusterAutoscalerImageTag),
      `${at}.clusterAutoscalerImageTag`,
      e.clusterAutoscalerImageTag,
      'expected an exact release tag such as "v1.35.0"',
    );
  }
  if (has('nodeGroups')) validateNodeGroups(e.nodeGroups, `${at}.nodeGroups`, issues);
};

function validateNodeGroups(groups: unknown, at: string, issues: IssueCollector): void {
  if (!Array.isArray(groups) || groups.length === 0) {
    issues.add(at, groups, 'expected at least one node group');
    return;
  }
  const list = groups as NodeGroupSettings[];
  list.forEach((g, i) => validateNodeGroup(g, `${at}[${i}]`, issues));
  list.forEach((g, i) => {
    const first = list.findIndex((other) => other.name === g.name);
    issues.check(first === i, `${at}[${i}].name`, g.name, `expected a unique name; ${at}[${first}] already uses it`);
  });
  issues.check(
    list.some((g) => g.kind === 'general'),
    at,
    list.map((g) => g.name),
    'expected at least one "general" group: system pods (CoreDNS, controllers) do not tolerate the GPU or replication taints',
  );
}

/** Kinds a config node group list may use: the `replication` group comes from `streaming.replication.nodes`. */
const CONFIG_NODE_GROUP_KINDS = NODE_GROUP_KINDS.filter((k) => k !== 'replication');

/** Validates one node group at `at`; `streaming.replication.nodes` reuses it with kind `replication`. */
export function validateNodeGroup(
  g: NodeGroupSettings,
  at: string,
  issues: IssueCollector,
  allowedKinds: readonly NodeGroupKind[] = CONFIG_NODE_GROUP_KINDS,
): void {
  issues.check(
    typeof g.name === 'string' && GROUP_NAME_RE.test(g.name),
    `${at}.name`,
    g.name,
    'expected 2-20 characters: lowercase letters, digits and hyphens, starting with a letter',
  );
  const kindOk = issues.check(
    allowedKinds.includes(g.kind),
    `${at}.kind`,
    g.kind,
    `expected one of ${allowedKinds.join(', ')}${allowedKinds.includes('replication') ? '' : ' (MirrorMaker 2 nodes are streaming.replication.nodes)'}`,
  );
  if (!Array.isArray(g.instanceTypes) || g.instanceTypes.length === 0) {
    issues.add(`${at}.instanceTypes`, g.instanceTypes, 'expected at least one instance type such as "m6i.xlarge"');
  } else {
    g.instanceTypes.forEach((type, j) => {
      const path = `${at}.instanceTypes[${j}]`;
      if (
        !issues.check(
          typeof type === 'string' && INSTANCE_TYPE_RE.test(type),
          path,
          type,
          'expected an EC2 instance type such as "m6i.xlarge"',
        )
      ) {
        return;
      }
      if (kindOk && g.kind === 'gpu') {
        issues.check(
          isGpuInstanceType(type),
          path,
          type,
          `expected an NVIDIA GPU instance family supported by the AL2023 NVIDIA AMI (${GPU_INSTANCE_FAMILIES.join(', ')}); got family "${instanceFamily(type)}"`,
        );
      } else if (kindOk) {
        issues.check(
          !isGpuInstanceType(type),
          path,
          type,
          `expected a non-GPU instance type in a "${g.kind}" group: put GPU instances in a "gpu" group so they get the GPU AMI and taint`,
        );
      }
    });
    const architectures = new Set(g.instanceTypes.filter((t) => typeof t === 'string').map(architectureOf));
    issues.check(
      architectures.size <= 1,
      `${at}.instanceTypes`,
      g.instanceTypes,
      'expected instance types of one CPU architecture (x86_64 or arm64): a node group has one AMI',
    );
  }
  const sizes = { minSize: g.minSize, desiredSize: g.desiredSize, maxSize: g.maxSize };
  let sizesOk = true;
  for (const [field, value] of Object.entries(sizes)) {
    sizesOk =
      issues.check(
        isInt(value) && value >= 0,
        `${at}.${field}`,
        value,
        'expected a whole number of nodes, 0 or more',
      ) && sizesOk;
  }
  if (sizesOk) {
    if (g.minSize > g.maxSize) {
      issues.add(`${at}.minSize`, g.minSize, `expected at most maxSize (${g.maxSize})`);
    } else {
      issues.check(
        g.desiredSize >= g.minSize && g.desiredSize <= g.maxSize,
        `${at}.desiredSize`,
        g.desiredSize,
        `expected a value from minSize (${g.minSize}) to maxSize (${g.maxSize})`,
      );
    }
    issues.check(g.maxSize >= 1, `${at}.maxSize`, g.maxSize, 'expected at least 1');
    issues.check(
      g.maxSize >= HEADROOM_FACTOR * g.desiredSize,
      `${at}.maxSize`,
      g.maxSize,
      `expected at least ${HEADROOM_FACTOR}x desiredSize (${HEADROOM_FACTOR * g.desiredSize}): each region keeps the capacity to take another region's traffic`,
    );
  }
  issues.check(
    isInt(g.diskSizeGiB) && g.diskSizeGiB >= MIN_DISK_GIB && g.diskSizeGiB <= MAX_DISK_GIB,
    `${at}.diskSizeGiB`,
    g.diskSizeGiB,
    `expected a whole number of GiB from ${MIN_DISK_GIB} to ${MAX_DISK_GIB}`,
  );
  if (g.labels === null || typeof g.labels !== 'object' || Array.isArray(g.labels)) {
    issues.add(`${at}.labels`, g.labels, 'expected a map of Kubernetes label keys to values');
  } else {
    for (const [key, value] of Object.entries(g.labels)) {
      issues.check(
        LABEL_KEY_RE.test(key) && !key.startsWith('platform/'),
        `${at}.labels.${key}`,
        key,
        'expected a Kubernetes label key ([prefix/]name, 63-character name) outside the reserved "platform/" prefix',
      );
      issues.check(
        typeof value === 'string' && LABEL_VALUE_RE.test(value),
        `${at}.labels.${key}`,
        value,
        'expected a label value of at most 63 letters, digits, "-", "_" or "."',
      );
    }
  }
}

function minorOf(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/**
 * Checks that need a region's merged EKS settings: an access path to the cluster, public endpoint
 * CIDRs, and versions that must follow the Kubernetes minor. A problem inherited from the defaults
 * is reported once, at `defaults.eks`; one caused by an override, at that region's override.
 */
export const checkEksAcrossFields: ConfigCheck = (config, issues) => {
  if (!Array.isArray(config.regions) || !config.defaults?.eks) return;
  const reported = new Set<string>();
  const report = (path: string, value: unknown, expected: string) => {
    if (reported.has(path)) return;
    reported.add(path);
    issues.add(path, value, expected);
  };
  config.regions.forEach((region, i) => {
    const override = region.overrides?.eks ?? {};
    // Same shallow merge as resolveRegion (not imported: load.ts depends on this module).
    const eks: EksSettings = { ...config.defaults.eks, ...override };
    // Blame the region's override when it sets the field or a field it must agree with.
    const at = (field: keyof EksSettings, ...related: (keyof EksSettings)[]) =>
      [field, ...related].some((f) => f in override) ? `regions[${i}].overrides.eks.${field}` : `defaults.eks.${field}`;

    if (Array.isArray(eks.adminRoleNames) && eks.adminRoleNames.length === 0 && eks.clusterCreatorAdmin === false) {
      report(
        at('adminRoleNames', 'clusterCreatorAdmin'),
        eks.adminRoleNames,
        `expected at least one admin role in ${region.key}: with clusterCreatorAdmin false${eks.endpointPublicAccess ? '' : ' and the public endpoint off'} no one could administer the cluster`,
      );
    }
    if (
      eks.endpointPublicAccess === true &&
      Array.isArray(eks.publicAccessCidrs) &&
      eks.publicAccessCidrs.length === 0
    ) {
      report(
        at('publicAccessCidrs', 'endpointPublicAccess'),
        eks.publicAccessCidrs,
        `expected at least one CIDR in ${region.key}: a public endpoint without CIDRs would be open to 0.0.0.0/0`,
      );
    }
    const k8s = eks.kubernetesVersion;
    if (typeof k8s !== 'string' || !(k8s in EKS_STANDARD_SUPPORT)) return;
    const kubeProxy = eks.addonVersions?.kubeProxy;
    if (typeof kubeProxy === 'string' && ADDON_VERSION_RE.test(kubeProxy) && minorOf(kubeProxy) !== k8s) {
      report(
        `${at('addonVersions', 'kubernetesVersion')}.kubeProxy`,
        kubeProxy,
        `expected a kube-proxy build for Kubernetes ${k8s} (v${k8s}.x-eksbuild.N) in ${region.key}`,
      );
    }
    const tag = eks.clusterAutoscalerImageTag;
    if (typeof tag === 'string' && IMAGE_TAG_RE.test(tag) && minorOf(tag) !== k8s) {
      report(
        at('clusterAutoscalerImageTag', 'kubernetesVersion'),
        tag,
        `expected a cluster autoscaler release for Kubernetes ${k8s} (v${k8s}.x) in ${region.key}: its minor must match the cluster`,
      );
    }
  });
};
