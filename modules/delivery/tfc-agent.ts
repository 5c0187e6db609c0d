import { Construct } from 'constructs';
import { Op, Token } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { type SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { setComponent } from '../common/context';
import { PolicyDocument, type PolicyStatement } from '../common/iam';
import { jsonencode } from '../common/jsonencode';
import { type EcrImage, ecrRepositoryArn, parseEcrImage } from './ecr-image';
import { ApiEndpointAccess, type DeliveryPlacement } from './endpoint-access';

/** Name of the agent container in the task definition. */
export const AGENT_CONTAINER = 'tfc-agent';

export interface TerraformCloudAgentProps extends DeliveryPlacement {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly executionRoleName: string;
  readonly securityGroupName: string;
  readonly logGroupName: string;
  /** Secrets Manager secret of the agent token; created empty here, its value is set out of band. */
  readonly tokenSecretName: string;
  /** Agent pool name, for descriptions (the pool itself lives in Terraform Cloud). */
  readonly poolName: string;
  /**
   * Pinned image: one built from `hashicorp/tfc-agent` with the AWS CLI, in a private ECR repository of
   * this account (docs/delivery.md, "The agent image"). For an ECR image the execution role may pull
   * from that repository and the plan fails when the account is not the one deployed to.
   */
  readonly image: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly desiredCount: number;
  readonly logRetentionDays: number;
  /** `app.terraform.io` or a Terraform Enterprise host. */
  readonly terraformCloudHostname: string;
}

/**
 * Terraform Cloud agents inside the VPC (docs/delivery.md, "Reaching the private clusters"): an ECS
 * Fargate service in the private subnets, no public IP, HTTPS out only, the cluster admitting it on
 * 443. Each agent runs one Terraform run and exits (`TFC_AGENT_SINGLE`), so ECS starts a fresh task
 * for the next run and nothing of one run is left for the next.
 *
 * The agent token is a Secrets Manager secret (KMS, the region's key) created without a value: it is
 * set out of band, so it is never in synth, plan or state; ECS injects it at task start. The task has
 * no task role: Terraform runs get AWS credentials from Terraform Cloud's dynamic provider credentials
 * (the deploy role through OIDC), not from the agent. The execution role reads the token, writes
 * logs and pulls the image from its ECR repository, nothing else.
 */
export class TerraformCloudAgent extends Construct {
  readonly cluster: EcsCluster;
  readonly service: EcsService;
  readonly taskDefinition: EcsTaskDefinition;
  readonly executionRole: IamRole;
  readonly executionPolicy: IamRolePolicy;
  readonly securityGroup: SecurityGroup;
  readonly logGroup: CloudwatchLogGroup;
  readonly tokenSecret: SecretsmanagerSecret;
  readonly endpointAccess: ApiEndpointAccess;

  constructor(scope: Construct, id: string, props: TerraformCloudAgentProps) {
    super(scope, id);
    setComponent(this, 'delivery');
    const { region, accountId, partition } = props;

    this.tokenSecret = new SecretsmanagerSecret(this, 'token', {
      name: props.tokenSecretName,
      description: `Agent token of the Terraform Cloud agent pool ${props.poolName}; value set out of band (docs/delivery.md)`,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: 7,
    });
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    this.endpointAccess = new ApiEndpointAccess(this, 'endpoint-access', {
      securityGroupName: props.securityGroupName,
      description: `Terraform Cloud agents of pool ${props.poolName}: HTTPS out only`,
      vpcId: props.vpcId,
      clusterSecurityGroupId: props.clusterSecurityGroupId,
      who: 'Terraform Cloud agents',
    });
    this.securityGroup = this.endpointAccess.securityGroup;

    this.executionRole = new IamRole(this, 'execution-role', {
      name: props.executionRoleName,
      description: `ECS task execution role of the Terraform Cloud agents of ${props.poolName}: the token, the logs and the image pull only`,
      assumeRolePolicy: new PolicyDocument(this, 'execution-trust', [
        {
          Effect: 'Allow',
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': accountId },
            ArnLike: { 'aws:SourceArn': `arn:${partition}:ecs:${region}:${accountId}:*` },
          },
        },
      ]).json,
    });
    const ecrImage = parseEcrImage(props.image);
    this.executionPolicy = new IamRolePolicy(this, 'execution-permissions', {
      role: this.executionRole.id,
      name: 'agent-token-and-logs', // and the image pull; renaming would replace the policy
      policy: new PolicyDocument(
        this,
        'execution-permissions-document',
        agentExecutionStatements({
          secretArn: this.tokenSecret.arn,
          kmsKeyArn: props.kmsKeyArn,
          logGroupArn: this.logGroup.arn,
          region,
          imageRepositoryArn: ecrImage && ecrRepositoryArn(ecrImage, partition),
        }),
      ).json,
    });

    this.cluster = new EcsCluster(this, 'cluster', { name: props.clusterName });
    this.taskDefinition = new EcsTaskDefinition(this, 'task', {
      family: props.clusterName,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(props.cpu),
      memory: String(props.memoryMiB),
      executionRoleArn: this.executionRole.arn,
      // The account is known here only when it is a literal (checked below); from the caller identity
      // only Terraform can compare it, before anything is created.
      lifecycle:
        ecrImage && Token.isUnresolved(accountId)
          ? {
              precondition: [
                { condition: Op.eq(accountId, ecrImage.account), errorMessage: otherAccount(props.image, ecrImage) },
              ],
            }
          : undefined,
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      containerDefinitions: jsonencode([
        {
          name: AGENT_CONTAINER,
          image: props.image,
          essential: true,
          environment: [
            { name: 'TFC_ADDRESS', value: `https://${props.terraformCloudHostname}` },
            // One run per task: the next run starts on a fresh container.
            { name: 'TFC_AGENT_SINGLE', value: 'true' },
            { name: 'TFC_AGENT_NAME', value: props.clusterName },
          ],
          // Injected by ECS at start from Secrets Manager: never in the task definition or state.
          secrets: [{ name: 'TFC_AGENT_TOKEN', valueFrom: this.tokenSecret.arn }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': this.logGroup.name,
              'awslogs-region': region,
              'awslogs-stream-prefix': AGENT_CONTAINER,
            },
          },
        },
      ]),
    });
    if (ecrImage && !Token.isUnresolved(accountId) && ecrImage.account !== accountId) {
      this.node.addValidation({ validate: () => [otherAccount(props.image, ecrImage)] });
    }
    this.service = new EcsService(this, 'service', {
      name: props.serviceName,
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.desiredCount,
      launchType: 'FARGATE',
      networkConfiguration: {
        subnets: [...props.subnetIds],
        securityGroups: [this.securityGroup.id],
        assignPublicIp: false,
      },
      // An agent picks up runs on its own; a rolling replacement never leaves the pool empty.
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      enableExecuteCommand: false,
      propagateTags: 'SERVICE',
      // Tasks start as soon as the service exists: with the role's policy not attached yet the first
      // ones fail to read the token or pull the image; on destroy, stopping tasks still write logs.
      dependsOn: [this.endpointAccess.egress, this.executionPolicy],
    });
  }
}

const otherAccount = (image: string, ecr: EcrImage) =>
  `The agent image ${image} is in ECR of account ${ecr.account}, not of the account deployed to: the execution role pulls only from this account's repositories (docs/delivery.md, "The agent image").`;

/**
 * The execution role: read the one token secret (through Secrets Manager only), write the agent's
 * logs and, for an image in ECR, pull from that one repository.
 */
export function agentExecutionStatements(props: {
  readonly secretArn: string;
  readonly kmsKeyArn: string;
  readonly logGroupArn: string;
  readonly region: string;
  /** ARN of the ECR repository of the image; undefined for an image ECS pulls without credentials. */
  readonly imageRepositoryArn?: string;
}): PolicyStatement[] {
  const pull: PolicyStatement[] = props.imageRepositoryArn
    ? [
        {
          Sid: 'ImageRegistryToken',
          Effect: 'Allow',
          Action: 'ecr:GetAuthorizationToken',
          // The registry login supports no resource-level permissions; it grants no image by itself.
          Resource: '*',
        },
        {
          Sid: 'ImagePull',
          Effect: 'Allow',
          Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Resource: props.imageRepositoryArn,
        },
      ]
    : [];
  return [
    {
      Sid: 'AgentToken',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: props.secretArn,
    },
    {
      Sid: 'AgentTokenKey',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: props.kmsKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
    },
    {
      Sid: 'Logs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${props.logGroupArn}:*`,
    },
    ...pull,
  ];
}
