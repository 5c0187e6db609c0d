/**
 * Names of the delivery path into the private clusters (docs/delivery.md, "Reaching the private
 * clusters"), resolved once from config: the regional stack creates them, `deploy:plan` hands the
 * runner project to the deploy workflow, and the readiness check looks them up. Pure.
 */
import type { PlatformConfig } from '../config/types';
import { Naming } from './naming';

/** One region's CodeBuild-hosted GitHub Actions runner. */
export interface RunnerPlan {
  /** CodeBuild project; a job asks for it with `runs-on: codebuild-<project>-<run id>-<attempt>`. */
  readonly project: string;
  readonly role: string;
  readonly securityGroup: string;
  readonly logGroup: string;
}

/** One region's Terraform Cloud agents. */
export interface AgentPlan {
  /** Agent pool the region's workloads workspace runs in (created in Terraform Cloud by hand). */
  readonly pool: string;
  readonly cluster: string;
  readonly service: string;
  readonly executionRole: string;
  readonly securityGroup: string;
  readonly logGroup: string;
  /** Secrets Manager secret holding the pool's agent token; its value is set out of band. */
  readonly tokenSecret: string;
}

export interface DeliveryRegionPlan {
  readonly key: string;
  /** Present when `delivery.githubRunners.enabled`. */
  readonly runner?: RunnerPlan;
  /** Present when `delivery.terraformCloudAgents.enabled`. */
  readonly agent?: AgentPlan;
}

/** The label prefix of a CodeBuild-hosted runner: the workflow appends `-<run id>-<run attempt>`. */
export const runnerLabelPrefix = (project: string) => `codebuild-${project}`;

/** The delivery names of one region (undefined members for what is off). */
export function deliveryRegionPlan(
  config: Pick<PlatformConfig, 'project' | 'environment' | 'delivery'>,
  regionKey: string,
): DeliveryRegionPlan {
  const naming = new Naming(config);
  const name = (component: string) => naming.regional(regionKey, component);
  const { githubRunners, terraformCloudAgents } = config.delivery;
  return {
    key: regionKey,
    runner: githubRunners.enabled
      ? {
          project: name('deploy-runner'),
          role: name('deploy-runner'),
          securityGroup: name('deploy-runner'),
          logGroup: `/platform/${name('deploy-runner')}`,
        }
      : undefined,
    agent: terraformCloudAgents.enabled
      ? {
          pool: name('agents'),
          cluster: name('tfc-agents'),
          service: 'tfc-agent',
          executionRole: name('tfc-agent-execution'),
          securityGroup: name('tfc-agents'),
          logGroup: `/platform/${name('tfc-agents')}`,
          tokenSecret: name('tfc-agent-token'),
        }
      : undefined,
  };
}
