import type { PolicyStatement } from '../common/iam';

/** A bucket outside the account that something in the VPC must read through the S3 gateway endpoint. */
export interface ExternalReadBucket {
  readonly bucket: string;
  readonly why: string;
}

/**
 * Buckets of other accounts that nodes and pods read through the S3 gateway endpoint (S3 in the
 * VPC's region is routed to the gateway, so its policy decides): AWS's own, and registry.k8s.io's
 * regional mirror. `s3:GetObject` only. A registry that redirects image layers to another bucket of
 * the region fails with S3's `AccessDenied` XML: add it with `network.endpointReadBuckets`.
 */
export function externalReadBuckets(region: string): ExternalReadBucket[] {
  return [
    { bucket: `prod-${region}-starport-layer-bucket`, why: 'ECR image layers (every ECR pull, EKS add-ons included)' },
    { bucket: `al2023-repos-${region}-de612dc2`, why: 'Amazon Linux 2023 package repositories (the EKS node AMI)' },
    {
      bucket: `prod-registry-k8s-io-${region}`,
      why: 'registry.k8s.io redirects pulls from AWS to its mirror in the region (metrics-server, cluster-autoscaler, kube-state-metrics)',
    },
  ];
}

/** ECR read actions: pulling an image from any registry (EKS add-on images live in AWS accounts). */
export const ECR_PULL_ACTIONS = [
  'ecr:GetAuthorizationToken',
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
] as const;

export interface EndpointPolicyInput {
  /** Service name after `com.amazonaws.<region>.`, e.g. `s3`, `sts`, `ecr.dkr`. */
  readonly service: string;
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  /** Extra buckets readable through the S3 gateway. @default - none */
  readonly extraReadBuckets?: readonly string[];
}

/**
 * The policy of one VPC endpoint (docs/security.md, "Inside the perimeter"): requests reach the
 * account's own resources (`aws:ResourceAccount`) or come from AWS services, so a pod cannot use
 * the endpoint to write to another account's bucket, queue or log group with credentials of its
 * own. Exceptions: reads of the named buckets through the S3 gateway, and image pulls by this
 * account's principals from any ECR registry. Endpoint policies grant nothing: IAM still decides.
 */
export function endpointPolicyStatements(input: EndpointPolicyInput): PolicyStatement[] {
  const { service, accountId, partition, region } = input;
  const statements: PolicyStatement[] = [
    {
      Sid: 'OwnAccountResources',
      Effect: 'Allow',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceAccount': accountId } },
    },
    {
      Sid: 'AwsServicesOnOurBehalf',
      Effect: 'Allow',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } },
    },
  ];
  if (service === 's3') {
    const buckets = [...externalReadBuckets(region).map((b) => b.bucket), ...(input.extraReadBuckets ?? [])];
    statements.push({
      Sid: 'ReadNamedExternalBuckets',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: buckets.map((bucket) => `arn:${partition}:s3:::${bucket}/*`),
    });
  }
  if (service === 'ecr.api' || service === 'ecr.dkr') {
    statements.push({
      Sid: 'OwnPrincipalsPullFromAnyRegistry',
      Effect: 'Allow',
      Principal: '*',
      Action: [...ECR_PULL_ACTIONS],
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': accountId } },
    });
  }
  return statements;
}
