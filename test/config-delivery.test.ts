// Delivery config (issue 14, "What to build" 7): runners and agents inside the VPCs are off by default
// and, once on, refuse what would leave the workloads stacks unreachable or the runner open to any
// workflow. Every problem is reported at once, with its field path, the value and what is allowed.
import { production } from '../src/config/environments/production';
import { staging } from '../src/config/environments/staging';
import type { PlatformConfig } from '../src/config/types';
import { type Mutable, issuesOf, variant } from './support/config';
import { agentImage, connection, withAgents, withRunners } from './support/delivery';

const deliveryIssues = (config: PlatformConfig) => issuesOf(config).filter((i) => i.path.startsWith('delivery'));

describe('delivery config', () => {
  test('both environments ship with runners and agents off, valid', () => {
    for (const c of [production, staging]) {
      expect(c.delivery.githubRunners.enabled).toBe(false);
      expect(c.delivery.terraformCloudAgents.enabled).toBe(false);
      expect(issuesOf(c)).toEqual([]);
    }
  });

  test('runners with a repository and a connection, and agents in Terraform Cloud mode, are valid', () => {
    expect(issuesOf(withRunners())).toEqual([]);
    expect(issuesOf(withAgents())).toEqual([]);
  });

  test('the pinned agent image is a released tfc-agent with dynamic credentials (1.7+)', () => {
    expect(production.delivery.terraformCloudAgents.image).toMatch(/^hashicorp\/tfc-agent:1\.(\d+)\.\d+$/);
    expect(Number(/:1\.(\d+)\./.exec(production.delivery.terraformCloudAgents.image)![1])).toBeGreaterThanOrEqual(7);
  });

  test.each<[string, (c: Mutable<PlatformConfig>) => void, string, RegExp]>([
    [
      'no repository',
      (c) => (c.delivery.githubRunners.repositoryUrl = ''),
      'delivery.githubRunners.repositoryUrl',
      /github\.com\/<owner>\/<repo>/,
    ],
    [
      'a repository elsewhere',
      (c) => (c.delivery.githubRunners.repositoryUrl = 'https://gitlab.com/a/b'),
      'delivery.githubRunners.repositoryUrl',
      /github/,
    ],
    [
      'a region without a connection',
      (c) => {
        c.delivery.githubRunners.connectionArns = {
          'eu-west': connection('eu-west-1'),
          apac: connection('ap-southeast-1'),
        };
      },
      'delivery.githubRunners.connectionArns.us-east',
      /CodeConnections/,
    ],
    [
      'a connection ARN of another service',
      (c) => {
        (c.delivery.githubRunners.connectionArns as Record<string, string>)['eu-west'] = connection(
          'eu-west-1',
        ).replace('codeconnections', 'codebuild');
      },
      'delivery.githubRunners.connectionArns.eu-west',
      /console/,
    ],
    [
      "another region's connection",
      (c) => {
        (c.delivery.githubRunners.connectionArns as Record<string, string>).apac = connection('us-east-1');
      },
      'delivery.githubRunners.connectionArns.apac',
      /in ap-southeast-1/,
    ],
    [
      'a connection of a region the platform does not have',
      (c) => {
        (c.delivery.githubRunners.connectionArns as Record<string, string>)['us-west'] = connection('us-west-2');
      },
      'delivery.githubRunners.connectionArns.us-west',
      /region key/,
    ],
    [
      'no workflow names',
      (c) => (c.delivery.githubRunners.workflowNames = []),
      'delivery.githubRunners.workflowNames',
      /any workflow/,
    ],
    [
      'a workflow name with a regex',
      (c) => (c.delivery.githubRunners.workflowNames = ['.*']),
      'delivery.githubRunners.workflowNames[0]',
      /letters, digits/,
    ],
    [
      'an unknown compute type',
      (c) => ((c.delivery.githubRunners as { computeType: string }).computeType = 'BUILD_GENERAL1_XLARGE'),
      'delivery.githubRunners.computeType',
      /BUILD_GENERAL1_SMALL/,
    ],
    [
      'an image without a version',
      (c) => (c.delivery.githubRunners.image = 'aws/codebuild/amazonlinux-x86_64-standard'),
      'delivery.githubRunners.image',
      /curated image/,
    ],
    [
      "a timeout past CodeBuild's",
      (c) => (c.delivery.githubRunners.timeoutMinutes = 600),
      'delivery.githubRunners.timeoutMinutes',
      /5 to 480/,
    ],
    [
      'a retention CloudWatch refuses',
      (c) => (c.delivery.githubRunners.logRetentionDays = 13),
      'delivery.githubRunners.logRetentionDays',
      /retention period/,
    ],
    [
      'runners in Terraform Cloud mode',
      (c) => {
        c.state.mode = 'terraform-cloud';
        c.state.terraformCloud = { organization: 'o', project: 'p', hostname: 'app.terraform.io' };
      },
      'delivery.githubRunners.enabled',
      /terraformCloudAgents/,
    ],
  ])('runners: %s is refused', (_case, change, path, expected) => {
    const found = deliveryIssues(withRunners(change)).filter((i) => i.path === path);
    expect(found).toHaveLength(1);
    expect(found[0].expected).toMatch(expected);
  });

  test.each<[string, (c: Mutable<PlatformConfig>) => void, string, RegExp]>([
    [
      'the latest tag',
      (c) => (c.delivery.terraformCloudAgents.image = 'hashicorp/tfc-agent:latest'),
      'delivery.terraformCloudAgents.image',
      /never "latest"/,
    ],
    [
      'no tag',
      (c) => (c.delivery.terraformCloudAgents.image = 'hashicorp/tfc-agent'),
      'delivery.terraformCloudAgents.image',
      /pinned/,
    ],
    [
      'the stock image, which has no AWS CLI',
      (c) => (c.delivery.terraformCloudAgents.image = 'hashicorp/tfc-agent:1.22.5'),
      'delivery.terraformCloudAgents.image',
      /FROM a pinned hashicorp\/tfc-agent 1\.7 or later with AWS CLI v2 added, in ECR of this account[\s\S]*no AWS CLI[\s\S]*aws eks get-token/,
    ],
    [
      'the stock image by its Docker Hub name',
      (c) => (c.delivery.terraformCloudAgents.image = 'docker.io/hashicorp/tfc-agent:1.22.5'),
      'delivery.terraformCloudAgents.image',
      /no AWS CLI/,
    ],
    [
      'the stock image by digest',
      (c) => (c.delivery.terraformCloudAgents.image = `hashicorp/tfc-agent@sha256:${'a'.repeat(64)}`),
      'delivery.terraformCloudAgents.image',
      /no AWS CLI/,
    ],
    [
      'an old stock image',
      (c) => (c.delivery.terraformCloudAgents.image = 'hashicorp/tfc-agent:1.6.1'),
      'delivery.terraformCloudAgents.image',
      /no AWS CLI/,
    ],
    [
      'an image outside ECR',
      (c) => (c.delivery.terraformCloudAgents.image = 'ghcr.io/acme/tfc-agent-awscli:1.22.5-1'),
      'delivery.terraformCloudAgents.image',
      /tfc-agent-awscli:1\.22\.5-1", pinned by tag or digest[\s\S]*pulls from ECR of this account only/,
    ],
    [
      'an image in ECR Public',
      (c) => (c.delivery.terraformCloudAgents.image = 'public.ecr.aws/acme/tfc-agent-awscli:1.22.5-1'),
      'delivery.terraformCloudAgents.image',
      /ECR of this account only/,
    ],
    [
      'an ECR image tagged latest',
      (c) => (c.delivery.terraformCloudAgents.image = agentImage().replace(/:[^:]+$/, ':latest')),
      'delivery.terraformCloudAgents.image',
      /never "latest"/,
    ],
    [
      'an ECR image without a tag',
      (c) => (c.delivery.terraformCloudAgents.image = agentImage().replace(/:[^:]+$/, '')),
      'delivery.terraformCloudAgents.image',
      /pinned by tag or digest/,
    ],
    [
      "an ECR image of another account than accountId's",
      (c) => {
        c.accountId = '111122223333';
        c.delivery.terraformCloudAgents.image = agentImage('us-east-1', '444455556666');
      },
      'delivery.terraformCloudAgents.image',
      /this account \(accountId 111122223333\), not of 444455556666/,
    ],
    [
      'an ECR registry in a region the platform has not',
      (c) => (c.delivery.terraformCloudAgents.image = agentImage('us-west-2')),
      'delivery.terraformCloudAgents.image',
      /one of the platform's regions \(us-east-1, eu-west-1, ap-southeast-1[\s\S]*111122223333\.dkr\.ecr\.<region>\.amazonaws\.com\/tfc-agent-awscli:1\.22\.5-1/,
    ],
    [
      'CPU units Fargate has not',
      (c) => (c.delivery.terraformCloudAgents.cpu = 1000),
      'delivery.terraformCloudAgents.cpu',
      /512, 1024, 2048, 4096/,
    ],
    [
      'memory the CPU size does not allow',
      (c) => (c.delivery.terraformCloudAgents.memoryMiB = 1024),
      'delivery.terraformCloudAgents.memoryMiB',
      /2048 to 8192/,
    ],
    [
      'no agent',
      (c) => (c.delivery.terraformCloudAgents.desiredCount = 0),
      'delivery.terraformCloudAgents.desiredCount',
      /1 to 10/,
    ],
    [
      'agents in S3 mode',
      (c) => {
        c.state.mode = 's3';
        c.state.terraformCloud = undefined;
      },
      'delivery.terraformCloudAgents.enabled',
      /terraform-cloud/,
    ],
  ])('agents: %s is refused', (_case, change, path, expected) => {
    const found = deliveryIssues(withAgents(change)).filter((i) => i.path === path);
    expect(found).toHaveLength(1);
    expect(found[0].expected).toMatch(expected);
  });

  test.each<[string, string]>([
    ['in the primary region', agentImage('us-east-1')],
    ["in a secondary region's registry", agentImage('eu-west-1')],
    ['pinned by digest', agentImage().replace(/:[^:]+$/, `@sha256:${'0'.repeat(64)}`)],
    ['in a namespaced repository', agentImage().replace('tfc-agent-awscli', 'platform/tfc-agent-awscli')],
  ])('agents: an image built from tfc-agent in ECR of this account %s is valid', (_case, image) => {
    const config = withAgents((c) => (c.delivery.terraformCloudAgents.image = image));
    expect(issuesOf(config)).toEqual([]);
    // With accountId set, the image's account is checked against it.
    expect(issuesOf(variant((c) => (c.accountId = '111122223333'), config))).toEqual([]);
  });

  test('while the agents are off the stock image is the version to build from, at least 1.7', () => {
    const off = (image: string) =>
      deliveryIssues(
        withAgents((c) => {
          c.delivery.terraformCloudAgents.enabled = false;
          c.delivery.terraformCloudAgents.image = image;
        }),
      );
    expect(off('hashicorp/tfc-agent:1.22.5')).toEqual([]);
    expect(off('hashicorp/tfc-agent:1.6.1')).toEqual([
      {
        path: 'delivery.terraformCloudAgents.image',
        value: 'hashicorp/tfc-agent:1.6.1',
        expected: expect.stringMatching(/1\.7\.0 or later/),
      },
    ]);
  });

  test('the refused stock image is reported once, with the value received', () => {
    expect(
      deliveryIssues(withAgents((c) => (c.delivery.terraformCloudAgents.image = 'hashicorp/tfc-agent:1.22.5'))),
    ).toEqual([
      {
        path: 'delivery.terraformCloudAgents.image',
        value: 'hashicorp/tfc-agent:1.22.5',
        expected: expect.stringContaining('<account>.dkr.ecr.<region>.amazonaws.com/tfc-agent-awscli:1.22.5-1'),
      },
    ]);
  });

  test('every problem is reported at once, with the value received', () => {
    const issues = deliveryIssues(
      withRunners((c) => {
        (c.delivery.githubRunners.connectionArns as Record<string, string>).apac = 'not-an-arn';
        c.delivery.githubRunners.workflowNames = [];
        c.delivery.terraformCloudAgents.cpu = 3;
      }),
    );
    expect(issues.map((i) => [i.path, i.value])).toEqual(
      expect.arrayContaining([
        ['delivery.githubRunners.connectionArns.apac', 'not-an-arn'],
        ['delivery.githubRunners.workflowNames', []],
        ['delivery.terraformCloudAgents.cpu', 3],
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  test('while off, the connection and repository are not required', () => {
    expect(
      deliveryIssues(
        variant((c) => {
          c.delivery.githubRunners.connectionArns = {};
          c.delivery.githubRunners.repositoryUrl = '';
        }),
      ),
    ).toEqual([]);
  });

  test('a missing section is named', () => {
    const issues = issuesOf(variant((c) => delete (c as Partial<Mutable<PlatformConfig>>).delivery));
    expect(issues.filter((i) => i.path === 'delivery')).toHaveLength(1);
  });
});
