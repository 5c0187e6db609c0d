// Configurations with the delivery path on (docs/delivery.md, "Reaching the private clusters").
import type { PlatformConfig } from '../../src/config/types';
import { type Mutable, terraformCloudConfig, variant } from './config';

/** A CodeConnections connection ARN in `region`. */
export const connection = (region: string) =>
  `arn:aws:codeconnections:${region}:111122223333:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;

/** Runners on, with what they need: a repository and an approved connection per region. */
export function withRunners(change: (c: Mutable<PlatformConfig>) => void = () => undefined): PlatformConfig {
  return variant((c) => {
    c.delivery.githubRunners.enabled = true;
    c.delivery.githubRunners.repositoryUrl = 'https://github.com/acme/platform';
    c.delivery.githubRunners.connectionArns = Object.fromEntries(c.regions.map((r) => [r.key, connection(r.code)]));
    change(c);
  });
}

/** An agent image built from tfc-agent with the AWS CLI, in the ECR registry of `region` (docs/delivery.md). */
export const agentImage = (region = 'us-east-1', account = '111122223333') =>
  `${account}.dkr.ecr.${region}.amazonaws.com/tfc-agent-awscli:1.22.5-1`;

/** Agents on in Terraform Cloud mode, running the image of {@link agentImage} (registry in us-east-1). */
export function withAgents(change: (c: Mutable<PlatformConfig>) => void = () => undefined): PlatformConfig {
  return terraformCloudConfig((c) => {
    c.delivery.terraformCloudAgents.enabled = true;
    c.delivery.terraformCloudAgents.image = agentImage();
    change(c);
  });
}
