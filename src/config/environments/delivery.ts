import type { DeliveryConfig } from '../delivery-types';

/**
 * Runners and agents off: each needs a step outside Terraform first (docs/delivery.md, "Reaching the
 * private clusters"). Turn `githubRunners` on once the CodeConnections connection is AVAILABLE and its
 * ARN is set here; `terraformCloudAgents` once the agent pool exists and its token is in the secret.
 */
export function deliveryDefaults(overrides: Partial<DeliveryConfig> = {}): DeliveryConfig {
  return {
    githubRunners: {
      enabled: false,
      repositoryUrl: '', // https://github.com/<owner>/<repo>
      // Per region key: arn:aws:codeconnections:<region>:<account>:connection/<uuid>
      connectionArns: {},
      workflowNames: ['deploy'],
      // 7 GB / 4 vCPU: cdktf, Terraform and the kubernetes/helm providers of one stack at a time.
      computeType: 'BUILD_GENERAL1_MEDIUM',
      image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
      timeoutMinutes: 120,
      logRetentionDays: 90,
    },
    terraformCloudAgents: {
      enabled: false,
      // The version to build from: running agents need it with the AWS CLI, in ECR (docs/delivery.md,
      // "The agent image"); validation refuses the stock image once `enabled` is on.
      image: 'hashicorp/tfc-agent:1.22.5',
      cpu: 1024,
      memoryMiB: 2048,
      desiredCount: 1,
      logRetentionDays: 90,
    },
    ...overrides,
  };
}
