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

/** Agents on in Terraform Cloud mode. */
export function withAgents(change: (c: Mutable<PlatformConfig>) => void = () => undefined): PlatformConfig {
  return terraformCloudConfig((c) => {
    c.delivery.terraformCloudAgents.enabled = true;
    change(c);
  });
}
