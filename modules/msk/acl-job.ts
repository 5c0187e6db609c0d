import { createHash } from 'node:crypto';
import { Fn, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { KubernetesJob } from '../common/kubernetes-jobs';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { setComponent } from '../common/context';
import { restrictedContainer } from '../common/pod-security';
import { kafkaAclsAddArgs, type AclEntry } from './acls';

/**
 * Strimzi's Kafka image (it carries the Kafka CLI) per Strimzi operator release: the image of the
 * release's default Kafka version (`default: true` in `kafka-versions.yaml`), as listed in the
 * operator Deployment (`packaging/install/cluster-operator/060-Deployment-strimzi-cluster-operator.yaml`)
 * at the release tag of strimzi/strimzi-kafka-operator.
 * Tags, not digests: no digest could be confirmed offline. Add a row when the operator pin moves.
 */
export const STRIMZI_KAFKA_IMAGES: Readonly<Record<string, string>> = {
  '0.47.0': 'quay.io/strimzi/kafka:0.47.0-kafka-4.0.0',
  '0.48.0': 'quay.io/strimzi/kafka:0.48.0-kafka-4.1.0',
  '0.49.0': 'quay.io/strimzi/kafka:0.49.0-kafka-4.1.1',
  '0.49.1': 'quay.io/strimzi/kafka:0.49.1-kafka-4.1.1',
  '0.50.0': 'quay.io/strimzi/kafka:0.50.0-kafka-4.1.1',
  '0.50.1': 'quay.io/strimzi/kafka:0.50.1-kafka-4.1.1',
  '1.0.0': 'quay.io/strimzi/kafka:1.0.0-kafka-4.2.0',
  '1.0.1': 'quay.io/strimzi/kafka:1.0.1-kafka-4.2.0',
};

/** The Kafka CLI image matching a Strimzi operator version; throws naming the known versions. */
export function strimziKafkaImage(strimziVersion: string): string {
  const image = STRIMZI_KAFKA_IMAGES[strimziVersion];
  if (!image) {
    throw new Error(
      `No confirmed Strimzi Kafka image for operator ${strimziVersion}; known: ${Object.keys(STRIMZI_KAFKA_IMAGES).join(', ')} (modules/msk/acl-job.ts)`,
    );
  }
  return image;
}

/**
 * The MSK IAM client library (no Strimzi image bundles it: checked in the third-party libraries
 * of Strimzi 0.47.0 to 1.x). Tag v2.3.5 exists in aws/aws-msk-iam-auth; the `-all.jar` release
 * asset is the uber jar its README describes. Not downloaded here, so no checksum is pinned.
 */
export interface JarSource {
  readonly url: string;
  /** SHA-256 the init container verifies. @default - not verified (none confirmed yet) */
  readonly sha256?: string;
}
export const MSK_IAM_AUTH_JAR: JarSource = {
  url: 'https://github.com/aws/aws-msk-iam-auth/releases/download/v2.3.5/aws-msk-iam-auth-2.3.5-all.jar',
};

export interface MskAclJobProps {
  /** Prefix of the Job name; the name ends with a hash of everything the Job does. */
  readonly name: string;
  readonly namespace: string;
  /** Service account the Job runs as (created here), bound to `adminRoleArn`. */
  readonly serviceAccountName: string;
  /** IRSA role with kafka-cluster:Connect/DescribeCluster/AlterCluster on this cluster only (`acl-admin-role.ts`). */
  readonly adminRoleArn: string;
  /** IAM bootstrap brokers of the cluster (`host:9098,...`). */
  readonly bootstrapBrokersIam: string;
  /** Kafka principal the ACLs are for, e.g. `User:mirrormaker`. */
  readonly principal: string;
  readonly acls: readonly AclEntry[];
  /** Image with the Kafka CLI at `/opt/kafka` and curl (`strimziKafkaImage`). */
  readonly image: string;
  /** @default MSK_IAM_AUTH_JAR */
  readonly iamAuthJar?: JarSource;
  readonly kubernetesProvider?: TerraformProvider;
  /** What must exist first (the namespace). @default - none */
  readonly dependsOn?: readonly Construct[];
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A Kubernetes Job that adds the MirrorMaker 2 principal's ACLs to one MSK cluster, as an IAM
 * client (IRSA): MSK authorizes IAM clients by IAM policy, so `kafka-cluster:AlterCluster` lets it
 * manage ACLs while `allow.everyone.if.no.acl.found=false` denies every SCRAM principal without one.
 *
 * `kafka-acls --add` of an existing ACL is a no-op, so a run is idempotent. The Job's name carries
 * a hash of its script, image, jar and brokers: any change (a region added, a pattern changed, the
 * cluster replaced) makes a new Job, which Terraform creates and waits for; an unchanged apply
 * leaves the finished Job alone.
 */
export class MskAclJob extends Construct {
  readonly job: KubernetesJob;
  readonly serviceAccount: ServiceAccountV1;
  /** The shell script the Job runs (also hashed into its name). */
  readonly script: string;

  constructor(scope: Construct, id: string, props: MskAclJobProps) {
    super(scope, id);
    setComponent(this, 'kafka-acls');
    if (props.acls.length === 0) throw new Error(`MskAclJob ${props.name}: no ACLs to apply`);
    const jar: JarSource = props.iamAuthJar ?? MSK_IAM_AUTH_JAR;
    if (jar.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(jar.sha256)) {
      throw new Error(`MskAclJob ${props.name}: iamAuthJar.sha256 must be 64 hex characters, got "${jar.sha256}"`);
    }
    const labels = { 'app.kubernetes.io/name': 'msk-acls', 'app.kubernetes.io/part-of': 'kafka-replication' };

    this.serviceAccount = new ServiceAccountV1(this, 'sa', {
      provider: props.kubernetesProvider,
      metadata: {
        name: props.serviceAccountName,
        namespace: props.namespace,
        labels,
        annotations: { 'eks.amazonaws.com/role-arn': props.adminRoleArn },
      },
      dependsOn: props.dependsOn as never,
    });

    const connection = '--bootstrap-server "$BOOTSTRAP" --command-config /tmp/iam.properties';
    this.script = [
      'set -eu',
      // Not `EOF`: cdktf writes a multi-line string as an HCL heredoc ending at a line `EOF`.
      "cat > /tmp/iam.properties <<'PROPERTIES'",
      'security.protocol=SASL_SSL',
      'sasl.mechanism=AWS_MSK_IAM',
      'sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;',
      'sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler',
      'PROPERTIES',
      'export CLASSPATH=/jars/aws-msk-iam-auth.jar',
      ...props.acls.flatMap((acl) => [
        `echo ${quote(`${acl.resourceType} ${acl.patternType} ${acl.name}: ${acl.operations.join(',')} (${acl.why})`)}`,
        `/opt/kafka/bin/kafka-acls.sh ${connection} ${kafkaAclsAddArgs(props.principal, acl).map(quote).join(' ')}`,
      ]),
      `/opt/kafka/bin/kafka-acls.sh ${connection} --list --principal ${quote(props.principal)}`,
    ].join('\n');
    const fetchJar = [
      'set -eu',
      `curl -fsSL --retry 5 -o /jars/aws-msk-iam-auth.jar ${quote(jar.url)}`,
      ...(jar.sha256 ? [`echo ${quote(`${jar.sha256}  /jars/aws-msk-iam-auth.jar`)} | sha256sum -c -`] : []),
    ].join('\n');

    // Synth-time content hashed here; the brokers and role (known at apply) by Terraform.
    const content = createHash('sha256').update([this.script, fetchJar, props.image].join('\n')).digest('hex');
    const hash = `${content.slice(0, 5)}${Fn.substr(Fn.sha256(Fn.join('\n', [props.bootstrapBrokersIam, props.adminRoleArn])), 0, 5)}`;
    const securityContext = restrictedContainer();
    const mounts = [
      { name: 'jars', mountPath: '/jars' },
      { name: 'tmp', mountPath: '/tmp' },
    ];
    const resources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } };

    this.job = new KubernetesJob(this, 'job', {
      provider: props.kubernetesProvider,
      metadata: { name: `${props.name}-${hash}`, namespace: props.namespace, labels },
      spec: {
        backoffLimit: 4,
        activeDeadlineSeconds: 900,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: props.serviceAccountName,
            restartPolicy: 'Never',
            initContainer: [
              {
                name: 'fetch-msk-iam-auth',
                image: props.image,
                command: ['/bin/sh', '-c', fetchJar],
                securityContext,
                volumeMount: mounts,
                resources,
              },
            ],
            container: [
              {
                name: 'kafka-acls',
                image: props.image,
                command: ['/bin/sh', '-c', this.script],
                env: [
                  { name: 'BOOTSTRAP', value: props.bootstrapBrokersIam },
                  { name: 'KAFKA_HEAP_OPTS', value: '-Xmx256m' },
                  { name: 'LOG_DIR', value: '/tmp' },
                ],
                securityContext,
                volumeMount: mounts,
                resources,
              },
            ],
            volume: [
              { name: 'jars', emptyDir: {} },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: '15m', update: '15m' },
      dependsOn: [this.serviceAccount] as never,
    });
  }
}
