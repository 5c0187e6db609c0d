import { Construct } from 'constructs';
import { setComponent } from '../../modules/common/context';
import { ecrImageIn, parseEcrImage } from '../../modules/delivery/ecr-image';
import type * as GithubRunnerModule from '../../modules/delivery/github-runner';
import type * as TfcAgentModule from '../../modules/delivery/tfc-agent';
import type { RegionalKey } from '../../modules/kms/regional-key';
import type { Network } from '../../modules/network/network';
import type { PlatformConfig } from '../config/types';
import { deliveryRegionPlan } from '../plan/delivery';

export interface RegionalDeliveryProps {
  readonly config: PlatformConfig;
  readonly regionKey: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly network: Network;
  readonly key: RegionalKey;
  /** The cluster whose private endpoint the runner and agents reach: its EKS-created security group. */
  readonly eks: { readonly clusterSecurityGroupId: string };
}

/**
 * One region's way into its private EKS endpoint (docs/delivery.md, "Reaching the private clusters"):
 * the CodeBuild-hosted GitHub Actions runner and the Terraform Cloud agents, each when its
 * `delivery` switch is on, in the private subnets the cluster's endpoint ENIs live in.
 */
export class RegionalDelivery extends Construct {
  readonly runner?: GithubRunnerModule.GithubRunner;
  readonly agent?: TfcAgentModule.TerraformCloudAgent;

  constructor(scope: Construct, id: string, props: RegionalDeliveryProps) {
    super(scope, id);
    setComponent(this, 'delivery');
    const { config, network, key, eks, region, accountId, partition } = props;
    const names = deliveryRegionPlan(config, props.regionKey);
    const subnetIds = network.privateSubnets.map((s) => s.id);
    const common = {
      vpcId: network.vpc.id,
      subnetIds,
      kmsKeyArn: key.arn,
      clusterSecurityGroupId: eks.clusterSecurityGroupId,
      region,
      accountId,
      partition,
    };
    const runners = config.delivery.githubRunners;
    // Loaded only when switched on (both are off by default): their CodeBuild, ECS and autoscaling
    // bindings cost about 70 ms of every synth otherwise.
    /* eslint-disable @typescript-eslint/no-require-imports */
    if (names.runner) {
      const { GithubRunner } = require('../../modules/delivery/github-runner') as typeof GithubRunnerModule;
      this.runner = new GithubRunner(this, 'github-runner', {
        ...common,
        projectName: names.runner.project,
        roleName: names.runner.role,
        securityGroupName: names.runner.securityGroup,
        logGroupName: names.runner.logGroup,
        repositoryUrl: runners.repositoryUrl,
        connectionArn: runners.connectionArns[props.regionKey],
        workflowNames: runners.workflowNames,
        computeType: runners.computeType,
        image: runners.image,
        timeoutMinutes: runners.timeoutMinutes,
        logRetentionDays: runners.logRetentionDays,
      });
    }
    const agents = config.delivery.terraformCloudAgents;
    if (names.agent) {
      const { TerraformCloudAgent } = require('../../modules/delivery/tfc-agent') as typeof TfcAgentModule;
      this.agent = new TerraformCloudAgent(this, 'tfc-agent', {
        ...common,
        clusterName: names.agent.cluster,
        serviceName: names.agent.service,
        executionRoleName: names.agent.executionRole,
        securityGroupName: names.agent.securityGroup,
        logGroupName: names.agent.logGroup,
        tokenSecretName: names.agent.tokenSecret,
        poolName: names.agent.pool,
        image: agentImageIn(agents.image, region),
        cpu: agents.cpu,
        memoryMiB: agents.memoryMiB,
        desiredCount: agents.desiredCount,
        logRetentionDays: agents.logRetentionDays,
        terraformCloudHostname: config.state.terraformCloud?.hostname ?? 'app.terraform.io',
      });
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
}

/**
 * The agent image a region runs: an ECR image from that region's registry (same account, repository
 * and tag), so that no region's agents depend on another region being up or pay cross-region
 * transfer on every run (docs/delivery.md, "The agent image"); any other image as configured.
 */
export function agentImageIn(image: string, region: string): string {
  const ecr = parseEcrImage(image);
  return ecr ? ecrImageIn(ecr, region) : image;
}
