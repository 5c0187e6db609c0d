/**
 * The policy findings that suppressions accepted, as the synth records them next to its output
 * (`cdktf.out/policy-suppressions.json`) for `npm run report`: every accepted risk in one table
 * (docs/policy.md, "Suppressions"). Kept to node:fs so the tools that read it load nothing more.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ACCEPTED_RISKS_FILE = 'policy-suppressions.json';

/** One suppressed finding. */
export interface AcceptedRisk {
  readonly stack: string;
  readonly ruleId: string;
  /** Terraform address of the resource the finding is about. */
  readonly address: string;
  /** Construct path of the suppression's declaration. */
  readonly suppressedAt: string;
  readonly reason: string;
}

/** Sorted by rule, stack and address, so the file is stable from one synth to the next. */
export function writeAcceptedRisks(outdir: string, risks: readonly AcceptedRisk[]): void {
  const sorted = [...risks].sort(
    (a, b) => a.ruleId.localeCompare(b.ruleId) || a.stack.localeCompare(b.stack) || a.address.localeCompare(b.address),
  );
  writeFileSync(join(outdir, ACCEPTED_RISKS_FILE), `${JSON.stringify(sorted, null, 2)}\n`);
}

/** The recorded risks, or undefined when the output predates the record. */
export function readAcceptedRisks(outdir: string): AcceptedRisk[] | undefined {
  const file = join(outdir, ACCEPTED_RISKS_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AcceptedRisk[]) : undefined;
}
