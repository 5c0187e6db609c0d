/**
 * Typed configuration of the delivery path into the private EKS endpoints (docs/delivery.md,
 * "Reaching the private clusters"): CodeBuild-hosted GitHub Actions runners and Terraform Cloud
 * agents inside each region's VPC. Both are off by default: each needs a step outside Terraform
 * first (the CodeConnections handshake; the agent pool and its token).
 */

export const RUNNER_COMPUTE_TYPES = ['BUILD_GENERAL1_SMALL', 'BUILD_GENERAL1_MEDIUM', 'BUILD_GENERAL1_LARGE'] as const;
/** CodeBuild Linux container sizes: 3 GB / 2 vCPU, 7 GB / 4 vCPU, 15 GB / 8 vCPU. */
export type RunnerComputeType = (typeof RUNNER_COMPUTE_TYPES)[number];

/** Fargate task sizes the agent may use: vCPU units and the memory range each allows (MiB). */
export const AGENT_TASK_SIZES: Readonly<Record<number, { readonly minMiB: number; readonly maxMiB: number }>> = {
  512: { minMiB: 1024, maxMiB: 4096 },
  1024: { minMiB: 2048, maxMiB: 8192 },
  2048: { minMiB: 4096, maxMiB: 16384 },
  4096: { minMiB: 8192, maxMiB: 30720 },
};

/** CodeBuild-hosted GitHub Actions runners: one CodeBuild project per region, in its private subnets. */
export interface GithubRunnerSettings {
  /** Create the runner projects. Workloads jobs run on them only while this is on. */
  readonly enabled: boolean;
  /** The repository whose workflow jobs the runners take, `https://github.com/<owner>/<repo>`. */
  readonly repositoryUrl: string;
  /**
   * Per region key, the ARN of an AWS CodeConnections connection to GitHub in that region
   * (`arn:aws:codeconnections:<region>:...` or the older `arn:aws:codestar-connections:...`), in status
   * AVAILABLE: Terraform cannot finish one, it needs the console handshake (docs/delivery.md).
   * Connections are regional resources, so each region's project uses its own.
   */
  readonly connectionArns: Readonly<Record<string, string>>;
  /**
   * Names of the workflows whose jobs may start a runner (the webhook's WORKFLOW_NAME filter). A job of
   * a reusable workflow carries its caller's name: `deploy` for deploy-environment.yml.
   */
  readonly workflowNames: readonly string[];
  readonly computeType: RunnerComputeType;
  /** CodeBuild curated image, e.g. `aws/codebuild/amazonlinux-x86_64-standard:5.0` (has the AWS CLI). */
  readonly image: string;
  /** Longest a job may run, minutes (CodeBuild build timeout, 5 to 480). */
  readonly timeoutMinutes: number;
  /** Retention of the runners' log group, days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
}

/** Terraform Cloud agents: an ECS Fargate service per region, in its private subnets. */
export interface TerraformCloudAgentSettings {
  /** Run the agents (Terraform Cloud mode only). */
  readonly enabled: boolean;
  /**
   * Pinned by tag or digest, never `latest`. While the agents run: an image built FROM a pinned
   * `hashicorp/tfc-agent` (1.7 or later) with AWS CLI v2 added, in ECR of this account,
   * `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`; each region's agents pull the same
   * repository and tag from their own region's registry (docs/delivery.md, "The agent image"). While
   * they are off: the stock `hashicorp/tfc-agent:<version>` to build from.
   */
  readonly image: string;
  /** Fargate task CPU units (512, 1024, 2048, 4096). */
  readonly cpu: number;
  /** Fargate task memory, MiB, within what `cpu` allows. */
  readonly memoryMiB: number;
  /** Agents per region (each runs one Terraform run at a time). */
  readonly desiredCount: number;
  /** Retention of the agents' log group, days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
}

export interface DeliveryConfig {
  readonly githubRunners: GithubRunnerSettings;
  readonly terraformCloudAgents: TerraformCloudAgentSettings;
}
