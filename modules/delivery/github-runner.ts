import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { type SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { setComponent } from '../common/context';
import { PolicyDocument, type PolicyStatement } from '../common/iam';
import { ApiEndpointAccess, type DeliveryPlacement } from './endpoint-access';

export interface GithubRunnerProps extends DeliveryPlacement {
  /** CodeBuild project; jobs ask for it with `runs-on: codebuild-<projectName>-<run id>-<attempt>`. */
  readonly projectName: string;
  readonly roleName: string;
  readonly securityGroupName: string;
  readonly logGroupName: string;
  /** `https://github.com/<owner>/<repo>`. */
  readonly repositoryUrl: string;
  /** CodeConnections (or CodeStar Connections) connection to GitHub, AVAILABLE (created in the console). */
  readonly connectionArn: string;
  /** Workflows whose jobs may start a runner (matched whole, literally). */
  readonly workflowNames: readonly string[];
  readonly computeType: string;
  readonly image: string;
  readonly timeoutMinutes: number;
  readonly logRetentionDays: number;
}

/**
 * A CodeBuild-hosted GitHub Actions runner inside the VPC (docs/delivery.md, "Reaching the private
 * clusters"): a project whose builds are ephemeral runners registered for one workflow job, started
 * by the WORKFLOW_JOB_QUEUED webhook of the repository.
 *
 * The runner's own role can only write its logs and manage its network interfaces: the job assumes
 * the deploy role through GitHub OIDC exactly as on a GitHub-hosted runner, so the GitHub environment
 * protection rules stay the gate for deploy credentials and cluster access, not the runner label
 * (which any workflow of the repository can name).
 */
export class GithubRunner extends Construct {
  readonly project: CodebuildProject;
  readonly role: IamRole;
  readonly rolePolicy: IamRolePolicy;
  readonly securityGroup: SecurityGroup;
  readonly logGroup: CloudwatchLogGroup;
  readonly webhook: CodebuildWebhook;
  readonly endpointAccess: ApiEndpointAccess;

  constructor(scope: Construct, id: string, props: GithubRunnerProps) {
    super(scope, id);
    setComponent(this, 'delivery');
    const { region, accountId, partition } = props;
    const projectArn = `arn:${partition}:codebuild:${region}:${accountId}:project/${props.projectName}`;

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    this.endpointAccess = new ApiEndpointAccess(this, 'endpoint-access', {
      securityGroupName: props.securityGroupName,
      description: `GitHub Actions runners (CodeBuild ${props.projectName}): HTTPS out only`,
      vpcId: props.vpcId,
      clusterSecurityGroupId: props.clusterSecurityGroupId,
      who: 'GitHub Actions runners',
    });
    this.securityGroup = this.endpointAccess.securityGroup;

    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `Service role of the CodeBuild-hosted GitHub Actions runner ${props.projectName} (logs and ENIs only; jobs assume the deploy role through OIDC)`,
      assumeRolePolicy: new PolicyDocument(this, 'trust', [
        {
          Effect: 'Allow',
          Principal: { Service: 'codebuild.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': accountId },
            ArnLike: { 'aws:SourceArn': projectArn },
          },
        },
      ]).json,
    });
    this.rolePolicy = new IamRolePolicy(this, 'permissions', {
      role: this.role.id,
      name: 'runner',
      policy: new PolicyDocument(
        this,
        'permissions-document',
        runnerStatements({ ...props, logGroupArn: this.logGroup.arn, securityGroupId: this.securityGroup.id }),
      ).json,
    });

    this.project = new CodebuildProject(this, 'project', {
      name: props.projectName,
      description: 'Ephemeral GitHub Actions runner in the VPC: applies the workloads stacks (docs/delivery.md)',
      serviceRole: this.role.arn,
      buildTimeout: props.timeoutMinutes,
      // Nothing to store: no artifacts, no cache; logs go to the KMS-encrypted group only.
      artifacts: { type: 'NO_ARTIFACTS' },
      source: {
        type: 'GITHUB',
        location: props.repositoryUrl,
        auth: { type: 'CODECONNECTIONS', resource: props.connectionArn },
      },
      environment: {
        type: 'LINUX_CONTAINER',
        computeType: props.computeType,
        image: props.image,
        imagePullCredentialsType: 'CODEBUILD',
        privilegedMode: false,
      },
      vpcConfig: {
        vpcId: props.vpcId,
        subnets: [...props.subnetIds],
        securityGroupIds: [this.securityGroup.id],
      },
      logsConfig: {
        cloudwatchLogs: { status: 'ENABLED', groupName: this.logGroup.name },
        s3Logs: { status: 'DISABLED' },
      },
      // CreateProject with a VPC config checks that the service role may describe the network: the
      // role's policy must be attached first (the role ARN alone orders the project after the role
      // only). On destroy the project goes before the permissions it builds with.
      dependsOn: [this.rolePolicy],
    });

    this.webhook = new CodebuildWebhook(this, 'webhook', {
      projectName: this.project.name,
      buildType: 'BUILD',
      filterGroup: [
        {
          filter: [
            { type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' },
            { type: 'WORKFLOW_NAME', pattern: workflowNamePattern(props.workflowNames) },
          ],
        },
      ],
    });
  }

  /** `runs-on` prefix of a job for this runner (the workflow appends `-<run id>-<run attempt>`). */
  get labelPrefix(): string {
    return `codebuild-${this.project.name}`;
  }
}

/** An anchored regular expression matching exactly the given workflow names. */
export function workflowNamePattern(names: readonly string[]): string {
  if (names.length === 0) throw new Error('workflowNamePattern: expected at least one workflow name');
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `^(${escaped.join('|')})$`;
}

/**
 * The service role's permissions, as AWS documents them for a CodeBuild project in a VPC with
 * CloudWatch Logs and a CodeConnections source: log writes to its own group, the Describe calls
 * CodeBuild makes (no resource-level permissions exist for them), network interfaces only in the
 * given subnets with the runner's group, the ENI permission only for CodeBuild in those subnets, and
 * the connection's token.
 */
export function runnerStatements(props: {
  readonly logGroupArn: string;
  readonly subnetIds: readonly string[];
  /** The runner's group: the only one its network interfaces may carry. */
  readonly securityGroupId: string;
  readonly connectionArn: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}): PolicyStatement[] {
  const { region, accountId, partition } = props;
  const connectionService = props.connectionArn.split(':')[2] || 'codeconnections';
  const arn = (type: string) => `arn:${partition}:ec2:${region}:${accountId}:${type}`;
  const networkInterfaces = `${arn('network-interface')}/*`;
  const subnets = props.subnetIds.map((id) => `${arn('subnet')}/${id}`);
  return [
    {
      Sid: 'Logs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${props.logGroupArn}:*`,
    },
    {
      Sid: 'DescribeNetwork',
      Effect: 'Allow',
      Action: [
        'ec2:DescribeDhcpOptions',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
      ],
      // Describe calls support no resource-level permissions.
      Resource: '*',
    },
    {
      Sid: 'RunnerNetworkInterfaces',
      Effect: 'Allow',
      Action: 'ec2:CreateNetworkInterface',
      Resource: [networkInterfaces, ...subnets, `${arn('security-group')}/${props.securityGroupId}`],
    },
    {
      Sid: 'RunnerNetworkInterfaceCleanup',
      Effect: 'Allow',
      Action: 'ec2:DeleteNetworkInterface',
      Resource: networkInterfaces,
      Condition: { StringEquals: { 'ec2:Subnet': subnets } },
    },
    {
      Sid: 'VpcNetworkInterfacePermission',
      Effect: 'Allow',
      Action: 'ec2:CreateNetworkInterfacePermission',
      Resource: networkInterfaces,
      Condition: {
        StringEquals: { 'ec2:AuthorizedService': 'codebuild.amazonaws.com', 'ec2:Subnet': subnets },
      },
    },
    {
      Sid: 'GitHubConnection',
      Effect: 'Allow',
      Action: [`${connectionService}:GetConnection`, `${connectionService}:GetConnectionToken`],
      Resource: props.connectionArn,
    },
  ];
}
