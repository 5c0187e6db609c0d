/** IAM policy documents as typed values, rendered with JSON.stringify (tokens survive as interpolations). */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Record<string, string | string[]> | '*';
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** Trust policy for an AWS service, scoped to this account to prevent confused-deputy use. */
export function serviceAssumeRolePolicy(service: string, accountId: string): string {
  return policyDocument([
    {
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ]);
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
