/**
 * A minimal ZIP reader for DOCX: reads the central directory and inflates single entries with a hard output
 * cap. Sizes are checked from the directory before anything is inflated, and the cap also holds while
 * inflating, so an archive that lies about its sizes cannot expand past the limit either.
 */
import { inflateRawSync } from 'node:zlib';
import { corruptDocument, encryptedDocument, unpackedTooLarge } from './errors.js';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_ENTRIES = 20_000;

export function isZip(buf: Buffer): boolean {
  return buf.length >= 4 && buf.readUInt32LE(0) === LOCAL_SIGNATURE;
}

function corrupt(reason: string): Error {
  return corruptDocument('docx', reason);
}

function findEndOfCentralDirectory(buf: Buffer): number {
  const lowest = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= lowest; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIGNATURE) return i;
  }
  throw corrupt('end of central directory not found');
}

/** Lists the entries from the central directory. Throws a typed error when it is missing or inconsistent. */
export function readZipDirectory(buf: Buffer): ZipEntry[] {
  if (buf.length < 22) throw corrupt('too short for a zip archive');
  const eocd = findEndOfCentralDirectory(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const size = buf.readUInt32LE(eocd + 12);
  const offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw corrupt('zip64 archives are not supported');
  if (count > MAX_ENTRIES) throw corrupt('too many entries');
  if (offset + size > eocd) throw corrupt('central directory out of bounds');
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw corrupt('bad central directory entry');
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLength > eocd) throw corrupt('entry name out of bounds');
    entries.push({
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      uncompressedSize: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Rejects the archive if the sizes it declares add up to more than `limit` bytes. */
export function checkDeclaredSize(entries: ZipEntry[], limit: number): void {
  let total = 0;
  for (const e of entries) {
    if (e.uncompressedSize === 0xffffffff) throw unpackedTooLarge(limit, e.name);
    total += e.uncompressedSize;
    if (total > limit) throw unpackedTooLarge(limit, e.name);
  }
}

/**
 * Inflates one entry, refusing to produce more than min(declared size, cap) bytes: an entry that inflates past
 * what the directory declares is treated as a bomb, not trusted.
 */
export function readEntry(buf: Buffer, entry: ZipEntry, cap: number): Buffer {
  if (entry.flags & 0x1) throw encryptedDocument('docx');
  if (entry.uncompressedSize > cap) throw unpackedTooLarge(cap, entry.name);
  const h = entry.localHeaderOffset;
  if (h + 30 > buf.length || buf.readUInt32LE(h) !== LOCAL_SIGNATURE) throw corrupt(`bad local header for ${entry.name}`);
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw corrupt(`truncated entry ${entry.name}`);
  const data = buf.subarray(start, end);
  if (entry.method === 0) {
    if (data.length !== entry.uncompressedSize) throw corrupt(`stored size mismatch for ${entry.name}`);
    return Buffer.from(data);
  }
  if (entry.method !== 8) throw corrupt(`unsupported compression method ${entry.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw unpackedTooLarge(cap, entry.name);
    throw corrupt(`cannot inflate ${entry.name}: ${(err as Error).message}`);
  }
}
