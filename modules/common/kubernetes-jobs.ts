import { TerraformResource, Tokenization } from 'cdktf';
import type { Construct } from 'constructs';
import type { CronJobV1Config } from '@cdktf/provider-kubernetes/lib/cron-job-v1';
import type { JobV1Config } from '@cdktf/provider-kubernetes/lib/job-v1';

/**
 * `kubernetes_job_v1` and `kubernetes_cron_job_v1` without loading their generated bindings.
 *
 * The generated classes of @cdktf/provider-kubernetes for these two types carry every struct of a
 * pod spec: over 5 MB of JavaScript each, about 0.3 s of every synth to load, although the
 * platform only writes a handful of fields. These classes take the same typed configuration
 * (`JobV1Config`, `CronJobV1Config`: imported as types only) and write the same Terraform JSON:
 * keys in snake_case, single nested blocks as objects, repeated blocks as lists, the values of
 * string maps (labels, annotations, resource quantities, node selectors) untouched.
 * test/kubernetes-jobs.test.ts compares their JSON with the generated bindings' on the
 * platform's jobs and on crafted configurations. HCL output (`synth:hcl`) goes through the
 * generated bindings' own HCL converters, loaded only then, so HCL is exactly theirs.
 */
abstract class LightKubernetesResource<Config extends JobV1Config | CronJobV1Config> extends TerraformResource {
  protected constructor(
    scope: Construct,
    id: string,
    type: string,
    /** The configuration, as given (the generated class takes the same). */
    readonly jobConfig: Config,
  ) {
    super(scope, id, {
      terraformResourceType: type,
      terraformGeneratorMetadata: {
        providerName: 'kubernetes',
        providerVersion: '2.38.0',
        providerVersionConstraint: '~> 2.0',
      },
      provider: jobConfig.provider,
      dependsOn: jobConfig.dependsOn,
      count: jobConfig.count,
      lifecycle: jobConfig.lifecycle,
      provisioners: jobConfig.provisioners,
      connection: jobConfig.connection,
      forEach: jobConfig.forEach,
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.jobConfig;
    return {
      id: c.id,
      wait_for_completion: (c as JobV1Config).waitForCompletion,
      metadata: toTerraformJson(c.metadata),
      spec: toTerraformJson(c.spec),
      timeouts: toTerraformJson(c.timeouts),
    };
  }
}

/** A `kubernetes_job_v1` (same configuration as the generated `JobV1`). */
export class KubernetesJob extends LightKubernetesResource<JobV1Config> {
  constructor(scope: Construct, id: string, config: JobV1Config) {
    super(scope, id, 'kubernetes_job_v1', config);
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const structs = require('@cdktf/provider-kubernetes/lib/job-v1/index-structs') as Structs;
    const c = this.jobConfig;
    return hclAttributes({
      id: simple(c.id, 'string'),
      wait_for_completion: simple(c.waitForCompletion, 'boolean'),
      metadata: block(structs.jobV1MetadataToHclTerraform(c.metadata), 'list', 'JobV1MetadataList'),
      spec: block(structs.jobV1SpecToHclTerraform(c.spec), 'list', 'JobV1SpecList'),
      timeouts: block(structs.jobV1TimeoutsToHclTerraform(c.timeouts), 'struct', 'JobV1Timeouts'),
    });
  }
}

/** A `kubernetes_cron_job_v1` (same configuration as the generated `CronJobV1`). */
export class KubernetesCronJob extends LightKubernetesResource<CronJobV1Config> {
  constructor(scope: Construct, id: string, config: CronJobV1Config) {
    super(scope, id, 'kubernetes_cron_job_v1', config);
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const structs = require('@cdktf/provider-kubernetes/lib/cron-job-v1/index-structs') as Structs;
    const c = this.jobConfig;
    return hclAttributes({
      id: simple(c.id, 'string'),
      metadata: block(structs.cronJobV1MetadataToHclTerraform(c.metadata), 'list', 'CronJobV1MetadataList'),
      spec: block(structs.cronJobV1SpecToHclTerraform(c.spec), 'list', 'CronJobV1SpecList'),
      timeouts: block(structs.cronJobV1TimeoutsToHclTerraform(c.timeouts), 'struct', 'CronJobV1Timeouts'),
    });
  }
}

type Structs = Record<string, (struct: unknown) => unknown>;

const simple = (value: unknown, storageClassType: string) => ({
  value,
  isBlock: false,
  type: 'simple',
  storageClassType,
});
const block = (value: unknown, type: string, storageClassType: string) => ({
  value,
  isBlock: true,
  type,
  storageClassType,
});

/** Drops the attributes without a value, as the generated bindings do. */
function hclAttributes(attrs: Record<string, { value: unknown }>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attrs).filter(([, a]) => a.value !== undefined));
}

/**
 * String maps of the kubernetes provider's pod and object schemas: their keys are Kubernetes
 * label, annotation, resource or node-label names, written as given.
 */
const STRING_MAPS = new Set(['labels', 'annotations', 'limits', 'requests', 'nodeSelector', 'data', 'binaryData']);

/**
 * A typed struct as Terraform JSON: camelCase keys in snake_case (the provider schema's names),
 * recursively, except inside string maps. A key that is not a plain camelCase name outside a map
 * is refused: it would mean a map this function does not know, whose keys must not change.
 */
export function toTerraformJson(value: unknown, path = ''): unknown {
  if (Array.isArray(value)) return value.map((v, i) => toTerraformJson(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object' || Tokenization.isResolvable(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (!/^[a-z][A-Za-z0-9]*$/.test(key)) {
      throw new Error(
        `kubernetes job config ${path}: "${key}" is not a schema field name (a string map not known here?)`,
      );
    }
    out[snakeCase(key)] = STRING_MAPS.has(key) ? v : toTerraformJson(v, `${path}.${key}`);
  }
  return out;
}

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
