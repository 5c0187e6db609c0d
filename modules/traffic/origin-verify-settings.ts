// Construct-free: the config and the plan import these (the plan loads no construct library).

/**
 * Header CloudFront adds to every origin request and every ALB listener requires (docs/traffic.md,
 * "Origin secret"). CloudFront overwrites a viewer-sent header of the same name, so a viewer cannot
 * set it; ALBs compare header values case-insensitively.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/** Characters the secret may hold: `*` and `?` would be wildcards in an ALB http-header condition. */
export const ORIGIN_VERIFY_VALUE_RE = '^[A-Za-z0-9_-]{32,128}$';

/** Rotation state of the origin secret (config `edge.originVerify`). */
export interface OriginVerifySettings {
  /**
   * Version of the value in the ephemeral variable `origin_verify_secret`: a new version writes the
   * variable's value as a new Secrets Manager version (the old one becomes AWSPREVIOUS).
   */
  readonly version: number;
  /** ALB listeners also accept the AWSPREVIOUS value (during a rotation). */
  readonly acceptPrevious: boolean;
}

/** @default for `edge.originVerify`: the first value, no previous one. */
export const DEFAULT_ORIGIN_VERIFY: OriginVerifySettings = { version: 1, acceptPrevious: false };
