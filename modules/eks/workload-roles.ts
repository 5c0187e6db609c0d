import { Construct } from 'constructs';
import { setComponent } from '../common/context';
import { IrsaRole, type OidcIdentity } from './irsa-role';

/** Namespace and name of a service account bound to an IAM role. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export const LOAD_BALANCER_CONTROLLER_SA: ServiceAccountRef = {
  namespace: 'kube-system',
  name: 'aws-load-balancer-controller',
};
export const CLUSTER_AUTOSCALER_SA: ServiceAccountRef = { namespace: 'kube-system', name: 'cluster-autoscaler' };

export interface WorkloadRolesProps {
  readonly clusterName: string;
  readonly oidc: OidcIdentity;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The only target group the load balancer controller may register pods in. */
  readonly targetGroupArn: string;
  /** Service account of the application. */
  readonly application: ServiceAccountRef;
}

/**
 * IAM roles of the in-cluster controllers and the application, each trusted by one service
 * account only and each scoped to what that controller touches:
 * - load balancer controller: binds pods to the Terraform-owned target group (TargetGroupBinding)
 *   and nothing else: it cannot create load balancers, target groups or security group rules;
 * - cluster autoscaler: changes only Auto Scaling groups tagged as belonging to this cluster;
 * - application: no permissions yet; data and streaming modules attach theirs (IAM auth to
 *   Aurora and MSK) to `applicationRole`.
 */
export class WorkloadRoles extends Construct {
  readonly loadBalancerController: IrsaRole;
  readonly clusterAutoscaler: IrsaRole;
  readonly application: IrsaRole;

  constructor(scope: Construct, id: string, props: WorkloadRolesProps) {
    super(scope, id);
    setComponent(this, 'eks');
    const { clusterName, oidc, partition } = props;

    this.loadBalancerController = new IrsaRole(this, 'load-balancer-controller', {
      roleName: `${clusterName}-lb-controller`,
      oidc,
      partition,
      namespace: LOAD_BALANCER_CONTROLLER_SA.namespace,
      serviceAccount: LOAD_BALANCER_CONTROLLER_SA.name,
      statements: [
        {
          Sid: 'ReadLoadBalancingAndNetwork',
          Effect: 'Allow',
          // Describe calls support no resource-level scoping.
          Action: [
            'elasticloadbalancing:DescribeLoadBalancers',
            'elasticloadbalancing:DescribeListeners',
            'elasticloadbalancing:DescribeTargetGroups',
            'elasticloadbalancing:DescribeTargetGroupAttributes',
            'elasticloadbalancing:DescribeTargetHealth',
            'elasticloadbalancing:DescribeTags',
            'ec2:DescribeAvailabilityZones',
            'ec2:DescribeInstances',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeSubnets',
            'ec2:DescribeVpcs',
            'ec2:GetSecurityGroupsForVpc',
          ],
          Resource: '*',
        },
        {
          Sid: 'BindPodsToTheApplicationTargetGroup',
          Effect: 'Allow',
          Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
          Resource: props.targetGroupArn,
        },
      ],
    });

    this.clusterAutoscaler = new IrsaRole(this, 'cluster-autoscaler', {
      roleName: `${clusterName}-cluster-autoscaler`,
      oidc,
      partition,
      namespace: CLUSTER_AUTOSCALER_SA.namespace,
      serviceAccount: CLUSTER_AUTOSCALER_SA.name,
      statements: [
        {
          Sid: 'DiscoverNodeGroups',
          Effect: 'Allow',
          Action: [
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribeAutoScalingInstances',
            'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeScalingActivities',
            'autoscaling:DescribeTags',
            'ec2:DescribeImages',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:GetInstanceTypesFromInstanceRequirements',
          ],
          Resource: '*',
        },
        {
          Sid: 'DescribeOwnNodeGroups',
          Effect: 'Allow',
          Action: 'eks:DescribeNodegroup',
          Resource: `arn:${partition}:eks:${props.region}:${props.accountId}:nodegroup/${clusterName}/*`,
        },
        {
          Sid: 'ScaleOwnNodeGroupsOnly',
          Effect: 'Allow',
          Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          Resource: '*',
          // EKS tags the Auto Scaling group of every managed node group with these.
          Condition: {
            StringEquals: {
              [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned',
              'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
            },
          },
        },
      ],
    });

    this.application = new IrsaRole(this, 'application', {
      roleName: `${clusterName}-application`,
      oidc,
      partition,
      namespace: props.application.namespace,
      serviceAccount: props.application.name,
    });
  }
}
