import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { sharedSynth } from './support/shared-synth';
import { tempDir } from './support/synth';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..');

/** Every file under `dir` (relative paths, sorted) with its bytes. */
function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at).sort()) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

/**
 * Runs `main.ts` as `cdktf synth` would, but from an unrelated working directory, another time
 * zone and locale, so anything taken from the machine or the moment would show up in the output.
 */
async function synthInChild(outdir: string, env: Record<string, string>): Promise<void> {
  const cwd = tempDir('cwd');
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [ROOT] })).href;
  await run(process.execPath, ['--import', tsx, join(ROOT, 'main.ts')], {
    cwd,
    env: { ...process.env, CDKTF_OUTDIR: outdir, TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8', ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Strings that would tie the output to this machine, checkout or moment. */
function machineTraces(text: string, dirs: string[]): string[] {
  const found = dirs.filter((d) => text.includes(d));
  if (/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) found.push('an ISO timestamp');
  return found;
}

/**
 * Each format is compared across two runs that share nothing but the code: the README's
 * `npm run synth` or `npm run synth:hcl` (run once per jest run, test/support/shared-synth.ts) and
 * `main.ts` in a child process started from an unrelated directory in another time zone and locale.
 * The output folders sit at different depths, like a CI runner's checkout compared with a laptop's.
 */
describe.each([
  ['JSON', false],
  ['HCL', true],
] as const)('synthesized %s output is byte-identical across runs, directories and machines', (_format, hcl) => {
  let first: Map<string, Buffer>;
  let second: Map<string, Buffer>;
  let dirs: string[];

  beforeAll(async () => {
    const b = join(tempDir('det-b'), 'nested', 'deeper', 'cdktf.out');
    mkdirSync(join(b, '..'), { recursive: true });
    const a = sharedSynth(hcl ? 'production-hcl' : 'production').outdir;
    await synthInChild(b, hcl ? { SYNTH_HCL_OUTPUT: 'true' } : {});
    first = readTree(a);
    second = readTree(b);
    dirs = [ROOT, tmpdir(), a, b, process.cwd()];
  });

  test('both runs write the same files', () => {
    expect([...second.keys()]).toEqual([...first.keys()]);
    expect(first.has('manifest.json')).toBe(true);
    expect(first.size).toBeGreaterThan(3);
  });

  test('every file, the manifest included, has the same bytes', () => {
    const differing = [...first].filter(([path, bytes]) => !second.get(path)?.equals(bytes)).map(([path]) => path);
    expect(differing).toEqual([]);
  });

  test('no file holds an absolute path of the machine or a timestamp', () => {
    const traces = [...first].flatMap(([path, bytes]) =>
      machineTraces(bytes.toString('utf8'), dirs).map((trace) => `${path}: ${trace}`),
    );
    expect(traces).toEqual([]);
  });
});
