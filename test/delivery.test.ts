// Delivery path into the private clusters (issue 14, "What to build" 7): a CodeBuild-hosted GitHub
// Actions runner and Terraform Cloud agents in a region's private subnets, each reaching the EKS API
// on 443 and nothing but HTTPS out; the deploy plan hands the runner to the workflow.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aspects, Testing } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { EksCluster as EksClusterResource } from '@cdktf/provider-aws/lib/eks-cluster';
import { parseDocument } from 'yaml';
import { parseEcrImage } from '../modules/delivery/ecr-image';
import { workflowNamePattern } from '../modules/delivery/github-runner';
import type { PlatformConfig } from '../src/config/types';
import { agentImageIn, RegionalDelivery } from '../src/parts/delivery';
import { deliveryRegionPlan } from '../src/plan/delivery';
import { resolvePlan } from '../src/plan/resolve';
import { PolicyAspect } from '../src/policy/policy-aspect';
import { checkDelivery } from '../src/readiness/delivery';
import { withRunners as runnerSteps } from '../src/tools/deploy-plan';
import { agentImage, withAgents, withRunners } from './support/delivery';
import { regionalFixture, TEST_ACCOUNT } from './support/fixtures';
import { resources, type StackJson } from './support/stack-json';
import { tempDir } from './support/synth';
import { describeDiagnostics, terraformSettings, terraformVersion } from './support/terraform';
import { validateStacksTogether } from './support/terraform-combined';

type Body = Record<string, unknown>;

/**
 * A small regional stack: network, key, an EKS cluster resource and the delivery part of `config`,
 * for the test account or, with `callerIdentity`, the account Terraform finds (as the real stacks).
 */
function synthDelivery(config: PlatformConfig, { callerIdentity = false } = {}): StackJson {
  const { stack, key, network } = regionalFixture('us-east-1');
  Aspects.of(stack).add(new PolicyAspect());
  // A stand-in for the region's cluster, as the policy pack wants every cluster.
  const cluster = new EksClusterResource(stack, 'cluster', {
    name: 'c',
    roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/c`,
    vpcConfig: {
      subnetIds: network.privateSubnets.map((s) => s.id),
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    },
    enabledClusterLogTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
    encryptionConfig: { resources: ['secrets'], provider: { keyArn: key.arn } },
  });
  new RegionalDelivery(stack, 'delivery', {
    config,
    regionKey: 'us-east',
    region: 'us-east-1',
    accountId: callerIdentity ? new DataAwsCallerIdentity(stack, 'account').accountId : TEST_ACCOUNT,
    partition: 'aws',
    network,
    key,
    eks: { clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId },
  });
  // With validations: the policy pack (least privilege, KMS, log retention) judges the stack.
  return JSON.parse(Testing.synth(stack, true)) as StackJson;
}

const CLUSTER_SG = '${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}';
const one = (json: StackJson, type: string): Body => {
  const all = resources(json, type);
  expect(all).toHaveLength(1);
  return all[0];
};
const statementsOf = (json: StackJson, sidOwner: string) =>
  Object.entries(json.data?.aws_iam_policy_document ?? {})
    .filter(([name]) => name.includes(sidOwner))
    .flatMap(([, doc]) => doc.statement as Body[]);
const groupRef = (json: StackJson, name: string) => {
  const entry = Object.entries(json.resource?.aws_security_group ?? {}).find(([, b]) => b.name === name);
  expect(entry).toBeDefined();
  return `\${aws_security_group.${entry![0]}.id}`;
};

/** The readiness check over the small stack, as the region-us-east stack of the config's plan. */
const readiness = (config: PlatformConfig, json: StackJson) => {
  const result = checkDelivery({ plan: resolvePlan(config), stacks: { 'region-us-east': json } });
  const mine = (s: string) => s.startsWith('us-east') || s === 'region-us-east';
  return {
    proven: result.proven.filter((p) => mine(p.subject)),
    findings: result.findings.filter((f) => mine(f.subject)),
  };
};

describe('GitHub Actions runner in the VPC', () => {
  const config = withRunners();
  const names = deliveryRegionPlan(config, 'us-east').runner!;
  const json = synthDelivery(config);

  test('the CodeBuild project runs in the private subnets with its own group, logs to the KMS group, stores nothing', () => {
    const project = one(json, 'aws_codebuild_project');
    expect(project.name).toBe('mi-production-us-east-deploy-runner');
    expect(project.vpc_config).toEqual({
      vpc_id: expect.stringMatching(/^\$\{aws_vpc\.net_vpc_\w+\.id\}$/),
      subnets: expect.arrayContaining([expect.stringMatching(/^\$\{aws_subnet\.net_private/)]),
      security_group_ids: [groupRef(json, names.securityGroup)],
    });
    expect((project.vpc_config as Body).subnets).toHaveLength(2);
    expect(project.source).toEqual(
      expect.objectContaining({
        type: 'GITHUB',
        location: 'https://github.com/acme/platform',
        auth: { type: 'CODECONNECTIONS', resource: config.delivery.githubRunners.connectionArns['us-east'] },
      }),
    );
    expect(project.artifacts).toEqual({ type: 'NO_ARTIFACTS' });
    expect(project.environment).toEqual(
      expect.objectContaining({ privileged_mode: false, compute_type: 'BUILD_GENERAL1_MEDIUM' }),
    );
    const logs = resources(json, 'aws_cloudwatch_log_group').find((g) => g.name === names.logGroup);
    expect(logs).toEqual(
      expect.objectContaining({ retention_in_days: 90, kms_key_id: expect.stringMatching(/aws_kms_key/) }),
    );
  });

  test('the webhook starts a runner only for queued jobs of the configured workflows', () => {
    expect(one(json, 'aws_codebuild_webhook').filter_group).toEqual([
      {
        filter: [
          { type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' },
          { type: 'WORKFLOW_NAME', pattern: '^(deploy)$' },
        ],
      },
    ]);
    expect(workflowNamePattern(['deploy', 'deploy (hotfix)'])).toBe('^(deploy|deploy \\(hotfix\\))$');
  });

  test('its group lets only HTTPS out, and the cluster group admits it on 443', () => {
    const sg = groupRef(json, names.securityGroup);
    const egress = resources(json, 'aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === sg);
    expect(egress).toEqual([
      expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' }),
    ]);
    expect(resources(json, 'aws_vpc_security_group_ingress_rule')).toContainEqual(
      expect.objectContaining({
        security_group_id: CLUSTER_SG,
        referenced_security_group_id: sg,
        from_port: 443,
        to_port: 443,
      }),
    );
    expect(resources(json, 'aws_security_group').find((g) => g.name === names.securityGroup)?.egress).toBeUndefined();
  });

  test('the service role writes its logs, makes its ENIs in these subnets only, reads the connection; nothing else', () => {
    const statements = statementsOf(json, 'permissions-document');
    const actions = statements.flatMap((s) => s.actions as string[]).sort();
    expect(actions).toEqual(
      [
        'codeconnections:GetConnection',
        'codeconnections:GetConnectionToken',
        'ec2:CreateNetworkInterface',
        'ec2:CreateNetworkInterfacePermission',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeDhcpOptions',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ].sort(),
    );
    const create = statements.find((s) => (s.actions as string[]).includes('ec2:CreateNetworkInterface'))!;
    expect(create.resources).toEqual([
      `arn:aws:ec2:us-east-1:${TEST_ACCOUNT}:network-interface/*`,
      expect.stringMatching(/:subnet\/\$\{aws_subnet/),
      expect.stringMatching(/:subnet\/\$\{aws_subnet/),
      `arn:aws:ec2:us-east-1:${TEST_ACCOUNT}:security-group/${groupRef(json, names.securityGroup)}`,
    ]);
    const permission = statements.find((s) =>
      (s.actions as string[]).includes('ec2:CreateNetworkInterfacePermission'),
    )!;
    expect(permission.condition).toEqual(
      expect.arrayContaining([
        { test: 'StringEquals', variable: 'ec2:AuthorizedService', values: ['codebuild.amazonaws.com'] },
        expect.objectContaining({
          variable: 'ec2:Subnet',
          values: expect.arrayContaining([expect.stringMatching(/:subnet\/\$\{aws_subnet/)]),
        }),
      ]),
    );
    expect(statements.find((s) => (s.actions as string[])[0].startsWith('codeconnections'))!.resources).toEqual([
      config.delivery.githubRunners.connectionArns['us-east'],
    ]);
    // No EKS access entry for the runner's role: jobs reach the cluster as the deploy role (OIDC).
    expect(resources(json, 'aws_eks_access_entry')).toEqual([]);
    const trust = statementsOf(json, 'trust')[0];
    expect(trust.condition).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          variable: 'aws:SourceArn',
          values: [`arn:aws:codebuild:us-east-1:${TEST_ACCOUNT}:project/${names.project}`],
        }),
      ]),
    );
  });

  test('the project is created after its role policy (CreateProject checks the VPC permissions) and destroyed before it', () => {
    const policies = Object.entries(json.resource?.aws_iam_role_policy ?? {}).filter(([, p]) => p.name === 'runner');
    expect(policies).toHaveLength(1);
    expect(one(json, 'aws_codebuild_project').depends_on).toEqual([`aws_iam_role_policy.${policies[0][0]}`]);
  });

  test('the readiness check proves the runner reaches the API endpoint, and fails without the cluster rule', () => {
    expect(readiness(config, json)).toEqual({
      proven: [
        expect.objectContaining({
          check: 'delivery',
          subject: `us-east: GitHub runner ${names.project} -> EKS API 443`,
        }),
      ],
      findings: [],
    });
    const broken = structuredClone(json);
    for (const [id, rule] of Object.entries(broken.resource!.aws_vpc_security_group_ingress_rule))
      if (rule.security_group_id === CLUSTER_SG) delete broken.resource!.aws_vpc_security_group_ingress_rule[id];
    expect(readiness(config, broken).findings).toEqual([
      expect.objectContaining({ problem: expect.stringMatching(/cluster security group admits it on no rule/) }),
    ]);
    const outside = structuredClone(json);
    Object.values(outside.resource!.aws_codebuild_project)[0].vpc_config = {
      ...(Object.values(outside.resource!.aws_codebuild_project)[0].vpc_config as Body),
      subnets: ['subnet-elsewhere'],
    };
    expect(readiness(config, outside).findings).toEqual([
      expect.objectContaining({ problem: expect.stringMatching(/outside the subnets of the cluster endpoint/) }),
    ]);
  });
});

describe('Terraform Cloud agents in the VPC', () => {
  // The image named by eu-west-1's registry: the us-east-1 agents pull the copy in their own region.
  const config = withAgents((c) => (c.delivery.terraformCloudAgents.image = agentImage('eu-west-1')));
  const names = deliveryRegionPlan(config, 'us-east').agent!;
  const json = synthDelivery(config);

  test('a Fargate service in the private subnets, no public IP, its own group', () => {
    const service = one(json, 'aws_ecs_service');
    expect(service).toEqual(
      expect.objectContaining({
        name: 'tfc-agent',
        launch_type: 'FARGATE',
        desired_count: 1,
        enable_execute_command: false,
      }),
    );
    expect(service.network_configuration).toEqual({
      assign_public_ip: false,
      subnets: expect.arrayContaining([expect.stringMatching(/^\$\{aws_subnet\.net_private/)]),
      security_groups: [groupRef(json, names.securityGroup)],
    });
  });

  test('the token comes from a KMS-encrypted secret with no value in the synth; the task has no role of its own', () => {
    const secret = one(json, 'aws_secretsmanager_secret');
    expect(secret.name).toBe('mi-production-us-east-tfc-agent-token');
    expect(secret.kms_key_id).toMatch(/aws_kms_key/);
    expect(resources(json, 'aws_secretsmanager_secret_version')).toEqual([]);
    const task = one(json, 'aws_ecs_task_definition');
    expect(task.task_role_arn).toBeUndefined();
    expect(task).toEqual(expect.objectContaining({ cpu: '1024', memory: '2048', network_mode: 'awsvpc' }));
    const containers = task.container_definitions as string;
    expect(containers).toContain(`"image" = "${agentImage('us-east-1')}"`);
    expect(containers).not.toContain('eu-west-1');
    expect(containers).toMatch(
      /TFC_AGENT_TOKEN[\s\S]*valueFrom[\s\S]*aws_secretsmanager_secret\.delivery_tfc-agent_token/,
    );
    expect(containers).toContain('https://app.terraform.io');
    expect(containers).toContain('awslogs');
    expect(JSON.stringify(json)).not.toMatch(/secret_string/);
  });

  test('the execution role reads the one secret through Secrets Manager, writes logs and pulls the image from its repository; nothing else', () => {
    const statements = statementsOf(json, 'execution-permissions-document');
    expect(statements.flatMap((s) => s.actions as string[]).sort()).toEqual(
      [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:GetAuthorizationToken',
        'ecr:GetDownloadUrlForLayer',
        'kms:Decrypt',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
      ].sort(),
    );
    expect(statements.find((s) => (s.actions as string[])[0] === 'kms:Decrypt')!.condition).toEqual([
      { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.us-east-1.amazonaws.com'] },
    ]);
    const pulls = statements.filter((s) => (s.actions as string[]).some((a) => a.startsWith('ecr:')));
    expect(pulls.map((s) => [[...(s.actions as string[])].sort(), s.resources])).toEqual([
      // The registry login names no resource type in IAM: "*" is the only Resource it takes.
      [['ecr:GetAuthorizationToken'], ['*']],
      [
        ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        [`arn:aws:ecr:us-east-1:${TEST_ACCOUNT}:repository/tfc-agent-awscli`],
      ],
    ]);
  });

  test('the service starts after the execution policy is attached', () => {
    const policies = Object.entries(json.resource?.aws_iam_role_policy ?? {}).filter(
      ([, p]) => p.name === 'agent-token-and-logs',
    );
    expect(policies).toHaveLength(1);
    expect(one(json, 'aws_ecs_service').depends_on).toContain(`aws_iam_role_policy.${policies[0][0]}`);
  });

  test("an image of another account: a literal account fails the synth, the caller's the plan", () => {
    const other = withAgents((c) => (c.delivery.terraformCloudAgents.image = agentImage('us-east-1', '444455556666')));
    expect(() => synthDelivery(other)).toThrow(/in ECR of account 444455556666, not of the account deployed to/);
    const task = one(synthDelivery(other, { callerIdentity: true }), 'aws_ecs_task_definition');
    expect(task.lifecycle).toEqual({
      precondition: [
        {
          condition: '${(data.aws_caller_identity.account.account_id == "444455556666")}',
          error_message: expect.stringMatching(/in ECR of account 444455556666, not of the account deployed to/),
        },
      ],
    });
    // The test account's own image: no precondition needed when the account is a literal.
    expect(one(json, 'aws_ecs_task_definition').lifecycle).toBeUndefined();
  });

  test('an image outside ECR gets no pull permission and no account check', () => {
    const stock = synthDelivery(
      withAgents((c) => (c.delivery.terraformCloudAgents.image = 'hashicorp/tfc-agent:1.22.5')),
    );
    const actions = statementsOf(stock, 'execution-permissions-document').flatMap((s) => s.actions as string[]);
    expect(actions).toHaveLength(4);
    expect(actions.filter((a) => a.startsWith('ecr:'))).toEqual([]);
    expect(one(stock, 'aws_ecs_task_definition').lifecycle).toBeUndefined();
  });

  test('each region pulls the same repository and tag from its own registry; other images stay as they are', () => {
    expect(agentImageIn(agentImage('eu-west-1'), 'ap-southeast-1')).toBe(agentImage('ap-southeast-1'));
    const digest = `${TEST_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/team/agent@sha256:${'f'.repeat(64)}`;
    expect(agentImageIn(digest, 'eu-west-1')).toBe(digest.replace('us-east-1', 'eu-west-1'));
    expect(agentImageIn('hashicorp/tfc-agent:1.22.5', 'eu-west-1')).toBe('hashicorp/tfc-agent:1.22.5');
    expect(parseEcrImage(`${TEST_ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn/a:1`)).toEqual({
      account: TEST_ACCOUNT,
      region: 'cn-north-1',
      domain: 'amazonaws.com.cn',
      repository: 'a',
      reference: ':1',
    });
    expect(parseEcrImage('public.ecr.aws/acme/a:1')).toBeUndefined();
  });

  test('logs are KMS-encrypted and retained; the readiness check proves the agents reach the API endpoint', () => {
    const logs = resources(json, 'aws_cloudwatch_log_group').find((g) => g.name === names.logGroup);
    expect(logs).toEqual(
      expect.objectContaining({ retention_in_days: 90, kms_key_id: expect.stringMatching(/aws_kms_key/) }),
    );
    expect(readiness(config, json).proven).toEqual([
      expect.objectContaining({ subject: `us-east: Terraform Cloud agents ${names.cluster} -> EKS API 443` }),
    ]);
    const noEgress = structuredClone(json);
    noEgress.resource!.aws_vpc_security_group_egress_rule = {};
    expect(readiness(config, noEgress).findings).toEqual([
      expect.objectContaining({ problem: expect.stringMatching(/no egress rule/) }),
    ]);
  });

  test('both stacks are valid for terraform (aws provider 5.100.0)', async () => {
    if (!(await terraformVersion())) {
      if (terraformSettings.skip) return;
      throw new Error('terraform not found (set SKIP_TERRAFORM_VALIDATE=1 to skip)');
    }
    const root = tempDir('delivery');
    const dirs = [
      ['runner', synthDelivery(withRunners())],
      ['agent', json],
      ['agent-precondition', synthDelivery(config, { callerIdentity: true })],
    ].map(([name, stack]) => {
      const dir = join(root, name as string);
      mkdirSync(dir);
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(stack));
      return dir;
    });
    // One terraform run for the three (the provider schema loads once), a verdict per stack.
    const results = await validateStacksTogether(dirs);
    expect(results.map((r) => r.dir)).toEqual(dirs);
    for (const result of results) {
      expect(describeDiagnostics(result)).toEqual([]);
      expect(result.valid).toBe(true);
    }
  }, 180_000);
});

describe('nothing is created while delivery is off', () => {
  test('the default production config adds no runner or agent', () => {
    const json = synthDelivery(withRunners((c) => (c.delivery.githubRunners.enabled = false)));
    expect(resources(json, 'aws_codebuild_project')).toEqual([]);
    expect(resources(json, 'aws_ecs_service')).toEqual([]);
  });
});

describe('the deploy workflow takes the runner from the plan', () => {
  test('a step gets the runner of the stack that needs one, or none', () => {
    const runnerOf = (id: string) =>
      id.startsWith('workloads-') ? `mi-production-${id.slice(10)}-deploy-runner` : undefined;
    expect(
      runnerSteps(
        [
          { name: 'us-east', stacks: 'data-us-east workloads-us-east' },
          { name: 'shared', stacks: 'dns' },
        ],
        runnerOf,
      ),
    ).toEqual([
      { name: 'us-east', stacks: 'data-us-east workloads-us-east', runner: 'mi-production-us-east-deploy-runner' },
      { name: 'shared', stacks: 'dns', runner: '' },
    ]);
    expect(() => runnerSteps([{ name: 'x', stacks: 'workloads-a workloads-b' }], runnerOf)).toThrow(
      /different runners/,
    );
  });

  test('the after-global jobs run on codebuild-<runner>-<run id>-<attempt> when the plan names one', () => {
    const text = readFileSync(join(__dirname, '..', '.github', 'workflows', 'deploy-environment.yml'), 'utf8');
    const after = (parseDocument(text).toJS() as { jobs: Record<string, Body> }).jobs['after-global'];
    expect(after['runs-on']).toBe(
      "${{ matrix.runner != '' && format('codebuild-{0}-{1}-{2}', matrix.runner, github.run_id, github.run_attempt) || 'ubuntu-24.04' }}",
    );
    // Still the deploy role through OIDC, in the protected environment.
    expect(after.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(after.environment).toBe('${{ inputs.platform-env }}');
  });
});
