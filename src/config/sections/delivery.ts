import {
  AGENT_TASK_SIZES,
  RUNNER_COMPUTE_TYPES,
  type DeliveryConfig,
  type GithubRunnerSettings,
  type TerraformCloudAgentSettings,
} from '../delivery-types';
import type { IssueCollector } from '../errors';
import type { PlatformConfig } from '../types';
import { parseEcrImage } from '../../../modules/delivery/ecr-image';
import { checkLogRetention, isInt, isIntIn } from './util';

const REPOSITORY_RE = /^https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const CONNECTION_RE =
  /^arn:aws[a-z-]*:(codeconnections|codestar-connections):([a-z0-9-]+):\d{12}:connection\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A GitHub workflow `name:` as the webhook compares it (plain text: it is matched literally). */
const WORKFLOW_NAME_RE = /^[A-Za-z0-9 _.-]{1,100}$/;
const CODEBUILD_IMAGE_RE = /^aws\/codebuild\/[a-z0-9._-]+:[0-9][0-9.]*$/;
/** `[registry/]repository:tag` with a tag other than `latest`, or pinned by digest. */
const AGENT_IMAGE_RE = /^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:(?!latest$)[A-Za-z0-9._-]{1,128}|@sha256:[0-9a-f]{64})$/;
/** tfc-agent 1.7.0 is the first release with dynamic provider credentials (docs/delivery.md). */
const MIN_AGENT_VERSION = [1, 7] as const;
/** HashiCorp's own image, however Docker Hub is spelled. */
const STOCK_AGENT_RE = /^(?:(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/)?hashicorp\/tfc-agent[:@]/;
const RUNNABLE_AGENT_IMAGE =
  'expected an image built FROM a pinned hashicorp/tfc-agent 1.7 or later with AWS CLI v2 added, in ECR of this account, e.g. "<account>.dkr.ecr.<region>.amazonaws.com/tfc-agent-awscli:1.22.5-1", pinned by tag or digest, never "latest" (docs/delivery.md, "The agent image")';

/** Validates the global `delivery` section (docs/delivery.md, "Reaching the private clusters"). */
export function validateDelivery(config: PlatformConfig, issues: IssueCollector): void {
  const d = (config as { delivery?: DeliveryConfig }).delivery;
  if (!d || typeof d !== 'object') {
    issues.add('delivery', d, 'expected the delivery settings (githubRunners, terraformCloudAgents)');
    return;
  }
  validateRunners(config, d.githubRunners, issues);
  validateAgents(config, d.terraformCloudAgents, issues);
}

function validateRunners(config: PlatformConfig, r: GithubRunnerSettings | undefined, issues: IssueCollector): void {
  const at = 'delivery.githubRunners';
  if (!r || typeof r !== 'object') {
    issues.add(at, r, 'expected the runner settings (enabled, repositoryUrl, connectionArns, ...)');
    return;
  }
  if (!issues.check(typeof r.enabled === 'boolean', `${at}.enabled`, r.enabled, 'expected true or false')) return;
  issues.check(
    RUNNER_COMPUTE_TYPES.includes(r.computeType),
    `${at}.computeType`,
    r.computeType,
    `expected one of ${RUNNER_COMPUTE_TYPES.join(', ')}`,
  );
  issues.check(
    typeof r.image === 'string' && CODEBUILD_IMAGE_RE.test(r.image),
    `${at}.image`,
    r.image,
    'expected a CodeBuild curated image with a version, e.g. "aws/codebuild/amazonlinux-x86_64-standard:5.0"',
  );
  issues.check(
    isIntIn(r.timeoutMinutes, 5, 480),
    `${at}.timeoutMinutes`,
    r.timeoutMinutes,
    'expected 5 to 480 minutes (the CodeBuild build timeout)',
  );
  checkLogRetention(issues, `${at}.logRetentionDays`, r.logRetentionDays);
  if (!r.enabled) return;
  // What only matters once the projects exist: the repository, the connection and who may start them.
  issues.check(
    typeof r.repositoryUrl === 'string' && REPOSITORY_RE.test(r.repositoryUrl),
    `${at}.repositoryUrl`,
    r.repositoryUrl,
    'expected "https://github.com/<owner>/<repo>"',
  );
  const arns = (r.connectionArns ?? {}) as Readonly<Record<string, unknown>>;
  for (const region of config.regions ?? []) {
    const arn = arns[region.key];
    const match = typeof arn === 'string' ? CONNECTION_RE.exec(arn) : null;
    issues.check(
      match !== null && match[2] === region.code,
      `${at}.connectionArns.${region.key}`,
      arn,
      `expected the ARN of a CodeConnections connection in ${region.code}, "arn:aws:codeconnections:${region.code}:<account>:connection/<uuid>" (created and approved in the console: docs/delivery.md)`,
    );
  }
  for (const key of Object.keys(arns)) {
    issues.check(
      (config.regions ?? []).some((region) => region.key === key),
      `${at}.connectionArns.${key}`,
      arns[key],
      'expected a region key of regions[*].key',
    );
  }
  if (
    issues.check(
      Array.isArray(r.workflowNames) && r.workflowNames.length > 0,
      `${at}.workflowNames`,
      r.workflowNames,
      'expected at least one workflow name (e.g. ["deploy"]): without one any workflow of the repository could start a runner inside the VPC',
    )
  ) {
    r.workflowNames.forEach((name, i) =>
      issues.check(
        typeof name === 'string' && WORKFLOW_NAME_RE.test(name),
        `${at}.workflowNames[${i}]`,
        name,
        'expected a workflow name of 1-100 letters, digits, spaces, _ . -',
      ),
    );
  }
  issues.check(
    config.state?.mode !== 'terraform-cloud',
    `${at}.enabled`,
    r.enabled,
    'expected false in Terraform Cloud mode (state.mode): the deploy workflow applies nothing from GitHub there; use delivery.terraformCloudAgents',
  );
}

function validateAgents(
  config: PlatformConfig,
  a: TerraformCloudAgentSettings | undefined,
  issues: IssueCollector,
): void {
  const at = 'delivery.terraformCloudAgents';
  if (!a || typeof a !== 'object') {
    issues.add(at, a, 'expected the agent settings (enabled, image, cpu, memoryMiB, ...)');
    return;
  }
  if (!issues.check(typeof a.enabled === 'boolean', `${at}.enabled`, a.enabled, 'expected true or false')) return;
  if (
    issues.check(
      typeof a.image === 'string' && AGENT_IMAGE_RE.test(a.image),
      `${at}.image`,
      a.image,
      a.enabled
        ? RUNNABLE_AGENT_IMAGE
        : 'expected an image pinned to a version tag or digest, e.g. "hashicorp/tfc-agent:1.22.5" (never "latest")',
    )
  ) {
    if (a.enabled) validateRunnableImage(config, a.image, `${at}.image`, issues);
    else validateStockVersion(a.image, `${at}.image`, issues);
  }
  const size = AGENT_TASK_SIZES[a.cpu as number];
  if (
    issues.check(
      size !== undefined,
      `${at}.cpu`,
      a.cpu,
      `expected Fargate CPU units: ${Object.keys(AGENT_TASK_SIZES).join(', ')}`,
    )
  ) {
    issues.check(
      isInt(a.memoryMiB) && a.memoryMiB >= size.minMiB && a.memoryMiB <= size.maxMiB && a.memoryMiB % 1024 === 0,
      `${at}.memoryMiB`,
      a.memoryMiB,
      `expected ${size.minMiB} to ${size.maxMiB} MiB in steps of 1024 (what Fargate allows with ${a.cpu} CPU units)`,
    );
  }
  issues.check(
    isIntIn(a.desiredCount, 1, 10),
    `${at}.desiredCount`,
    a.desiredCount,
    'expected 1 to 10 agents per region',
  );
  checkLogRetention(issues, `${at}.logRetentionDays`, a.logRetentionDays);
  if (a.enabled) {
    issues.check(
      config.state?.mode === 'terraform-cloud',
      `${at}.enabled`,
      a.enabled,
      'expected false unless state.mode is "terraform-cloud": an agent only serves Terraform Cloud runs',
    );
  }
}

/**
 * The image running agents start from. The workloads stacks' kubernetes and helm providers run
 * `aws eks get-token`, which the stock image lacks (every workloads run would fail), and the
 * execution role pulls only from ECR of this account. Each region pulls the same repository and tag
 * from its own registry (src/parts/delivery.ts), so the URI's region must be one of the platform's.
 */
function validateRunnableImage(config: PlatformConfig, image: string, at: string, issues: IssueCollector): void {
  if (STOCK_AGENT_RE.test(image)) {
    issues.add(
      at,
      image,
      `${RUNNABLE_AGENT_IMAGE}: the stock image has no AWS CLI, so the kubernetes and helm providers' "aws eks get-token" fails on every workloads run`,
    );
    return;
  }
  const ecr = parseEcrImage(image);
  if (!ecr) {
    issues.add(at, image, `${RUNNABLE_AGENT_IMAGE}: the execution role pulls from ECR of this account only`);
    return;
  }
  if (config.accountId !== undefined) {
    issues.check(
      ecr.account === config.accountId,
      at,
      image,
      `expected an ECR repository of this account (accountId ${config.accountId}), not of ${ecr.account}`,
    );
  }
  const codes = (config.regions ?? []).map((r) => r.code);
  issues.check(
    codes.includes(ecr.region),
    at,
    image,
    `expected the registry of one of the platform's regions (${codes.join(', ')}): each region's agents pull the same repository and tag from their own region, ${ecr.account}.dkr.ecr.<region>.${ecr.domain}/${ecr.repository}${ecr.reference}`,
  );
}

/** While the agents are off the image is the stock one to build from: at least the first version with dynamic credentials. */
function validateStockVersion(image: string, at: string, issues: IssueCollector): void {
  const version = /^hashicorp\/tfc-agent:(\d+)\.(\d+)\./.exec(image);
  const [major, minor] = MIN_AGENT_VERSION;
  issues.check(
    !version || Number(version[1]) > major || (Number(version[1]) === major && Number(version[2]) >= minor),
    at,
    image,
    `expected tfc-agent ${major}.${minor}.0 or later: earlier agents cannot use dynamic provider credentials`,
  );
}
