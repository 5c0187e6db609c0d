import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * An IAM policy statement in the shape of the IAM JSON grammar. Rendered through the
 * `aws_iam_policy_document` data source, so the policy is valid in both JSON and HCL output and
 * terraform checks its structure.
 */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Readonly<Record<string, string | readonly string[]>> | '*';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

const list = (value: string | readonly string[]): string[] => (typeof value === 'string' ? [value] : [...value]);

/** The statement as the data source's typed block (rendered as nested blocks in JSON and HCL). */
function toBlock(s: PolicyStatement): DataAwsIamPolicyDocumentStatement {
  const condition = Object.entries(s.Condition ?? {}).flatMap(([test, byVariable]) =>
    Object.entries(byVariable).map(([variable, values]) => ({ test, variable, values: list(values) })),
  );
  return {
    sid: s.Sid,
    effect: s.Effect,
    actions: list(s.Action),
    resources: s.Resource === undefined ? undefined : list(s.Resource),
    principals:
      s.Principal === undefined
        ? undefined
        : s.Principal === '*'
          ? [{ type: '*', identifiers: ['*'] }]
          : Object.entries(s.Principal).map(([type, ids]) => ({ type, identifiers: list(ids) })),
    condition: condition.length > 0 ? condition : undefined,
  };
}

/** A policy document whose statements can be added until synth. */
export class PolicyDocument extends Construct {
  private readonly document: DataAwsIamPolicyDocument;
  private readonly statements: PolicyStatement[];

  constructor(scope: Construct, id: string, statements: readonly PolicyStatement[] = [], provider?: TerraformProvider) {
    super(scope, id);
    this.statements = [...statements];
    this.document = new DataAwsIamPolicyDocument(this, 'document', {
      provider,
      statement: this.statements.map(toBlock),
    });
  }

  /** The rendered policy JSON (known at plan time). */
  get json(): string {
    return this.document.json;
  }

  add(...statements: PolicyStatement[]): void {
    this.statements.push(...statements);
    this.document.putStatement(this.statements.map(toBlock));
  }
}

/** Trust policy for an AWS service, scoped to this account to prevent confused-deputy use. */
export function serviceTrust(service: string, accountId: string): PolicyStatement[] {
  return [
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ];
}

/** Denies any request to the bucket that does not use TLS 1.2 or later. */
export function tlsOnlyStatements(bucketArn: string): PolicyStatement[] {
  const resources = [bucketArn, `${bucketArn}/*`];
  return [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: resources,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'DenyOutdatedTls',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: resources,
      Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
    },
  ];
}
