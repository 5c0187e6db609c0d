import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A content-addressed cache for synth-time build steps (bundling the Lambda, re-bundling ESM-only
 * models), kept where build tools keep theirs: node_modules/.cache. A key is a hash of everything
 * the output depends on, so a hit is byte-identical to a rebuild and never stale; entries are
 * written atomically. Without a writable cache the step just runs.
 */
const CACHE_DIR = join(dirname(require.resolve('esbuild/package.json')), '..', '.cache', 'multi-region-platform');

export function cached(namespace: string, keyParts: readonly (string | Buffer)[], build: () => Buffer): Buffer {
  const hash = createHash('sha256');
  for (const part of keyParts) hash.update(part).update('\0');
  const file = join(CACHE_DIR, `${namespace}-${hash.digest('hex')}`);
  try {
    return readFileSync(file);
  } catch {
    // Not cached yet.
  }
  const output = build();
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, output);
    renameSync(partial, file);
  } catch {
    // A read-only node_modules only costs the rebuild next time.
  }
  return output;
}

/** Contents of every file under `dir` (sorted by path), as cache key parts. */
export function treeContents(dir: string): Buffer[] {
  const parts: Buffer[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) parts.push(...treeContents(path));
    else parts.push(Buffer.from(entry), readFileSync(path));
  }
  return parts;
}

/**
 * The project's package-lock.json (beside node_modules): pins the exact version of every
 * dependency a bundle can contain, esbuild included. Empty when absent.
 */
export function lockfileContents(): Buffer {
  try {
    return readFileSync(join(CACHE_DIR, '..', '..', '..', 'package-lock.json'));
  } catch {
    return Buffer.alloc(0);
  }
}
