/**
 * Private ECR image URIs, `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>(:<tag>|@sha256:<digest>)`:
 * what the Terraform Cloud agent image must be once the agents run (docs/delivery.md, "The agent
 * image"). Pure: config validation and the agent construct read the same parse.
 */

export interface EcrImage {
  readonly account: string;
  readonly region: string;
  /** Repository name, possibly with `/` namespaces (`team/tfc-agent-awscli`). */
  readonly repository: string;
  /** `:<tag>` or `@sha256:<digest>`, as written. */
  readonly reference: string;
  /** `amazonaws.com` or `amazonaws.com.cn`. */
  readonly domain: string;
}

/** Repository names as ECR allows them: lowercase segments joined by `.`, `_`, `-`, namespaced by `/`. */
const REPOSITORY = '[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*';
const ECR_IMAGE_RE = new RegExp(
  `^(\\d{12})\\.dkr\\.ecr\\.([a-z]{2}(?:-[a-z]+)+-\\d)\\.(amazonaws\\.com(?:\\.cn)?)/(${REPOSITORY})((?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})|@sha256:[0-9a-f]{64})$`,
);

/** The parts of a private ECR image URI, or undefined when `image` is none (Docker Hub, another registry). */
export function parseEcrImage(image: string): EcrImage | undefined {
  const m = ECR_IMAGE_RE.exec(image);
  return m ? { account: m[1], region: m[2], domain: m[3], repository: m[4], reference: m[5] } : undefined;
}

/** The same repository and tag in `region`'s registry of the same account (each region pulls its own copy). */
export function ecrImageIn(image: EcrImage, region: string): string {
  return `${image.account}.dkr.ecr.${region}.${image.domain}/${image.repository}${image.reference}`;
}

/** The repository's ARN, which the pull actions are scoped to. */
export function ecrRepositoryArn(image: EcrImage, partition: string): string {
  return `arn:${partition}:ecr:${image.region}:${image.account}:repository/${image.repository}`;
}
