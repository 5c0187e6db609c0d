/**
 * What an AWS SDK error means to an operator: whether anything reached AWS, and what to do next.
 * Used by the shared command entry (./command.ts) for every command that calls AWS.
 */

/** Errors the SDK raises before sending anything: no credentials could be loaded. */
const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'TokenProviderError']);

/** Answers from AWS: the credentials were sent and refused. */
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);
const REFUSED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
]);

/** Network failures: the call did not reach AWS. */
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH']);

interface ErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  /** Set on every error an AWS service answered with (the SDK's ServiceException). */
  readonly $metadata?: { readonly requestId?: string; readonly httpStatusCode?: number };
}

/**
 * One message for an AWS SDK error, or undefined when `error` is not one of these kinds.
 * @param permissions what the calls need, e.g. "run DR operations (docs/runbook.md)"
 */
export function describeAwsError(error: unknown, permissions = 'make these calls'): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { name = '', code = '', message = '', $metadata } = error as ErrorShape;
  if (NO_CREDENTIALS.has(name)) {
    return (
      `no AWS credentials found: nothing was sent to AWS (${message}). Sign in first, e.g. ` +
      '`aws sso login --profile <profile>` and `export AWS_PROFILE=<profile>`, or export AWS_ACCESS_KEY_ID/' +
      `AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, with a role allowed to ${permissions}.`
    );
  }
  if (EXPIRED.has(name)) {
    return `AWS refused the call: the credentials have expired (${name}: ${message}). Sign in again (e.g. \`aws sso login\`) and rerun.`;
  }
  if (REFUSED.has(name)) {
    return `AWS refused the call (${name}): ${message}. Use credentials of a role allowed to ${permissions} (check AWS_PROFILE and \`aws sts get-caller-identity\`).`;
  }
  if ($metadata && typeof $metadata === 'object') {
    const request = $metadata.requestId ? `, request id ${$metadata.requestId}` : '';
    return `AWS answered ${name}: ${message}${request}`;
  }
  if (UNREACHABLE.has(code) || name === 'TimeoutError') {
    return `could not reach AWS (${code || name}: ${message}). Check the network, proxy or VPN, then rerun.`;
  }
  return undefined;
}
