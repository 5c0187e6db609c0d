import type { IssueCollector } from '../errors';
import { STATE_COPIES, STATE_MODES, type PlatformConfig } from '../types';

/** Terraform Cloud organization names: letters, digits, `-` and `_`. */
const ORGANIZATION_RE = /^[A-Za-z0-9_-]{1,40}$/;
/** Terraform Cloud project names: letters, digits, spaces, `-` and `_`, at most 40 characters. */
const PROJECT_RE = /^[A-Za-z0-9 _-]{1,40}$/;
/** A DNS host name with an optional port, e.g. `app.terraform.io` or `tfe.example.org:8443`. */
const HOSTNAME_RE =
  /^(?=.{1,253}(:|$))[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+(:\d{1,5})?$/;

/**
 * `state.mode`, `state.use` and, in Terraform Cloud mode, `state.terraformCloud`. The S3 fields of
 * `state` are checked by validateConfig in both modes: the bootstrap stack still reads them.
 */
export function validateStateMode(config: PlatformConfig, issues: IssueCollector): void {
  const state = config.state;
  if (!state || typeof state !== 'object') return; // reported by validateConfig
  const modeOk = issues.check(
    STATE_MODES.includes(state.mode),
    'state.mode',
    state.mode,
    `expected one of ${STATE_MODES.join(', ')}`,
  );
  validateStateCopy(config, modeOk, issues);
  if (modeOk && state.mode === 'terraform-cloud') validateTerraformCloud(config, issues);
}

/** `state.use`: a known copy, and the replica only where there is one (S3 mode). */
function validateStateCopy(config: PlatformConfig, modeOk: boolean, issues: IssueCollector): void {
  const use = config.state.use;
  if (use === undefined) return; // primary
  if (
    issues.check(
      STATE_COPIES.includes(use),
      'state.use',
      use,
      `expected one of ${STATE_COPIES.join(', ')} (PLATFORM_STATE_COPY sets it for one run; unset means primary)`,
    ) &&
    modeOk
  ) {
    issues.check(
      use === 'primary' || config.state.mode === 's3',
      'state.use',
      use,
      'expected "primary" when state.mode is "terraform-cloud": Terraform Cloud keeps the state, there is no replica bucket to switch to',
    );
  }
}

function validateTerraformCloud(config: PlatformConfig, issues: IssueCollector): void {
  const cloud = config.state.terraformCloud;
  if (!cloud || typeof cloud !== 'object') {
    issues.add(
      'state.terraformCloud',
      cloud,
      'expected { organization, project, hostname } when state.mode is "terraform-cloud"',
    );
    return;
  }
  issues.check(
    typeof cloud.organization === 'string' && ORGANIZATION_RE.test(cloud.organization),
    'state.terraformCloud.organization',
    cloud.organization,
    'expected a Terraform Cloud organization name: 1-40 letters, digits, "-" or "_"',
  );
  issues.check(
    typeof cloud.project === 'string' && PROJECT_RE.test(cloud.project) && cloud.project.trim() === cloud.project,
    'state.terraformCloud.project',
    cloud.project,
    'expected a Terraform Cloud project name: 1-40 letters, digits, spaces, "-" or "_", no leading or trailing space',
  );
  issues.check(
    typeof cloud.hostname === 'string' && HOSTNAME_RE.test(cloud.hostname),
    'state.terraformCloud.hostname',
    cloud.hostname,
    'expected a host name without scheme or path, e.g. "app.terraform.io"',
  );
}
