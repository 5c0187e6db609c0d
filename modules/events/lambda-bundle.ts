import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { buildSync } from 'esbuild';
import { zipSync, type Zippable } from 'fflate';
import { cached, lockfileContents, treeContents } from '../common/build-cache';

export interface LambdaBundle {
  /** Absolute path of the zip (hand it to a TerraformAsset). */
  readonly zipPath: string;
  /** base64 SHA-256 of the zip: exactly what Lambda reports as CodeSha256. */
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * 1980-01-01 00:00:00, the earliest time a zip can hold. fflate writes the DOS timestamp from the
 * date's local-time fields, so a date built from local-time fields is the same in every time zone.
 */
const ZIP_EPOCH = new Date(1980, 0, 1, 0, 0, 0);
const UNIX = 3;
/** Unix mode in the high half of the external attributes: a regular file, -rw-r--r--. */
const REGULAR_FILE_644 = (0o100644 << 16) >>> 0;

/**
 * A zip with the given files, byte-for-byte reproducible: fixed timestamps (1980-01-01), fixed
 * permissions, entries in name order, deflate at a fixed level (fflate's, pinned in the lockfile).
 */
export function deterministicZip(files: Readonly<Record<string, Buffer>>): Buffer {
  const entries: Zippable = {};
  for (const name of Object.keys(files).sort()) {
    entries[name] = [files[name], { level: 9, mtime: ZIP_EPOCH, os: UNIX, attrs: REGULAR_FILE_644 }];
  }
  const zip = zipSync(entries);
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
}

/** esbuild's single-file bundle of a Lambda entry point: what the zip holds as `index.js`. */
export function bundleSource(entry: string): Buffer {
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

/**
 * Bundles a TypeScript Lambda entry point (and its dependencies from node_modules, so the code
 * does not depend on the runtime's SDK version) into `index.js`, zipped reproducibly. Runs at
 * synth time with no network.
 */
export function bundleLambda(entry: string, name: string): LambdaBundle {
  // The zip depends on the handler's folder, the locked dependency tree (bundler and zip library
  // included) and this file (bundler options, zip settings).
  const key = [basename(entry), ...treeContents(dirname(entry)), lockfileContents(), readFileSync(__filename)];
  const zip = cached('lambda', key, () => deterministicZip({ 'index.js': bundleSource(entry) }));
  const sha256 = createHash('sha256').update(zip).digest('base64');
  const dir = join(tmpdir(), 'platform-lambda-bundles');
  mkdirSync(dir, { recursive: true });
  const zipPath = join(dir, `${name}-${createHash('sha256').update(zip).digest('hex').slice(0, 16)}.zip`);
  // Synths run in parallel (test workers, CI jobs) and cdktf copies this file into each output:
  // write a private file and rename it into place, so no reader ever sees a half-written zip.
  const partial = `${zipPath}.${process.pid}.${Date.now()}.partial`;
  writeFileSync(partial, zip);
  renameSync(partial, zipPath);
  return { zipPath, sha256, bytes: zip.length };
}
