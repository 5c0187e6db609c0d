import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { cached, lockfileContents, treeContents } from '../common/build-cache';

export interface LambdaBundle {
  /** Absolute path of the zip (hand it to a TerraformAsset). */
  readonly zipPath: string;
  /** base64 SHA-256 of the zip: exactly what Lambda reports as CodeSha256. */
  readonly sha256: string;
  readonly bytes: number;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A zip with the given files, byte-for-byte reproducible: fixed timestamps (1980-01-01), fixed
 * permissions, sorted entries, deflate at a fixed level.
 */
export function deterministicZip(files: Readonly<Record<string, Buffer>>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (const name of Object.keys(files).sort()) {
    const data = files[name];
    const compressed = deflateRawSync(data, { level: 9 });
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time 00:00
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // -rw-r--r--
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, compressed);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + compressed.length;
  }
  const centralDir = Buffer.concat(centrals);
  const count = Object.keys(files).length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDir, end]);
}

/**
 * Bundles a TypeScript Lambda entry point (and its dependencies from node_modules, so the code
 * does not depend on the runtime's SDK version) into `index.js`, zipped reproducibly. Runs at
 * synth time with no network.
 */
export function bundleLambda(entry: string, name: string): LambdaBundle {
  // The zip depends on the handler's folder and the locked dependency tree (bundler included).
  const zip = cached('lambda', [basename(entry), ...treeContents(dirname(entry)), lockfileContents()], () => {
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
    return deterministicZip({ 'index.js': Buffer.from(result.outputFiles[0].contents) });
  });
  const sha256 = createHash('sha256').update(zip).digest('base64');
  const dir = join(tmpdir(), 'platform-lambda-bundles');
  mkdirSync(dir, { recursive: true });
  const zipPath = join(dir, `${name}-${createHash('sha256').update(zip).digest('hex').slice(0, 16)}.zip`);
  writeFileSync(zipPath, zip);
  return { zipPath, sha256, bytes: zip.length };
}
