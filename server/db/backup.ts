/**
 * Backup and restore of a whole database through the driver, for the embedded store (`npx fairreview backup DIR`
 * / `restore DIR`, bin/backup.ts). Production uses mongodump / mongorestore (README).
 *
 * A backup is a folder: one `<collection>.jsonl` per collection (canonical Extended JSON, one document a line, so
 * ObjectIds, dates and GridFS chunk bytes come back exactly) and `manifest.json` with each file's document count
 * and SHA-256. It is written into a temporary sibling folder and renamed into place at the end, so a folder named
 * DIR is always complete.
 *
 * Consistent while the system runs, without transactions: every document is read whole (an aggregate and its
 * hash chain are one document), and collections are read in an order where what refers comes before what it
 * refers to — aggregates, then the records that hang off them (findings, screening documents), then GridFS file
 * documents, then their chunks. Everything a dumped record points to existed before it pointed to it, so it is in
 * the dump too; what was written during the dump at worst adds records nothing in the dump refers to yet.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import mongoose, { type Connection } from 'mongoose';

const { EJSON } = mongoose.mongo.BSON;

export const MANIFEST = 'manifest.json';
const FORMAT = 'fairreview-backup/1';
const BATCH = 500;

export interface CollectionEntry {
  name: string;
  file: string;
  count: number;
  sha256: string;
}

export interface Manifest {
  format: typeof FORMAT;
  database: string;
  createdAt: string;
  /** in the order they were read, which is also the order they are restored in */
  collections: CollectionEntry[];
}

/** Records that hang off an aggregate: read after the aggregates they belong to. */
const DEPENDENT = new Set(['findings', 'screeningdocuments', 'screeningoutcomes', 'screeningfilechunks']);

function readOrder(name: string): number {
  if (name.endsWith('.chunks')) return 3;
  if (name.endsWith('.files')) return 2;
  return DEPENDENT.has(name) ? 1 : 0;
}

function database(connection: Connection) {
  const db = connection.db;
  if (!db) throw new Error('store not connected');
  return db;
}

async function collectionNames(connection: Connection): Promise<string[]> {
  const infos = await database(connection).listCollections({}, { nameOnly: true }).toArray();
  return infos
    .map((c) => c.name)
    .filter((name) => !name.startsWith('system.'))
    .sort((a, b) => readOrder(a) - readOrder(b) || a.localeCompare(b));
}

/** Writes a backup of the connection's database to `dir` (which must not exist yet, or be empty). */
export async function backupDatabase(connection: Connection, dir: string, now = new Date()): Promise<Manifest> {
  const target = path.resolve(dir);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw new BackupError(`备份目录 ${target} 已存在且不为空，请指定新的目录`);
  const partial = `${target}.partial-${process.pid}-${crypto.randomBytes(3).toString('hex')}`;
  fs.mkdirSync(partial, { recursive: true });
  try {
    const collections: CollectionEntry[] = [];
    for (const name of await collectionNames(connection)) {
      collections.push(await dumpCollection(connection, name, path.join(partial, `${name}.jsonl`)));
    }
    const manifest: Manifest = { format: FORMAT, database: database(connection).databaseName, createdAt: now.toISOString(), collections };
    fs.writeFileSync(path.join(partial, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    if (fs.existsSync(target)) fs.rmdirSync(target);
    fs.renameSync(partial, target);
    return manifest;
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

async function dumpCollection(connection: Connection, name: string, file: string): Promise<CollectionEntry> {
  const out = fs.createWriteStream(file);
  const hash = crypto.createHash('sha256');
  let count = 0;
  const write = (line: string) => new Promise<void>((resolve, reject) => {
    hash.update(line);
    if (out.write(line)) resolve();
    else out.once('drain', resolve).once('error', reject);
  });
  try {
    const cursor = database(connection).collection(name).find({}, { batchSize: BATCH });
    for await (const doc of cursor) {
      await write(`${EJSON.stringify(doc, { relaxed: false })}\n`);
      count++;
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  return { name, file: path.basename(file), count, sha256: hash.digest('hex') };
}

export class BackupError extends Error {}

/** Reads and checks a backup folder: the manifest, and every file against its count and checksum. */
export async function readBackup(dir: string): Promise<Manifest> {
  const manifestFile = path.join(dir, MANIFEST);
  if (!fs.existsSync(manifestFile)) throw new BackupError(`${dir} 不是完整的备份：缺少 ${MANIFEST}`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  if (manifest.format !== FORMAT) throw new BackupError(`无法识别的备份格式：${String(manifest.format)}`);
  for (const entry of manifest.collections) {
    const file = path.join(dir, path.basename(entry.file));
    if (!fs.existsSync(file)) throw new BackupError(`备份缺少文件 ${entry.file}`);
    const hash = crypto.createHash('sha256');
    let count = 0;
    for await (const line of lines(file)) {
      hash.update(`${line}\n`);
      count++;
    }
    if (count !== entry.count || hash.digest('hex') !== entry.sha256) throw new BackupError(`备份文件 ${entry.file} 已损坏（条数或校验和与清单不符）`);
  }
  return manifest;
}

function lines(file: string): AsyncIterable<string> {
  return readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
}

/** The collections of the database that hold documents. */
export async function nonEmptyCollections(connection: Connection): Promise<string[]> {
  const names: string[] = [];
  for (const name of await collectionNames(connection)) {
    if ((await database(connection).collection(name).estimatedDocumentCount()) > 0) names.push(name);
  }
  return names;
}

/**
 * Restores a checked backup into the connection's database. Refuses a database that holds documents unless
 * `force`, which first drops every collection there.
 */
export async function restoreDatabase(connection: Connection, dir: string, { force = false } = {}): Promise<Manifest> {
  const manifest = await readBackup(dir);
  const occupied = await nonEmptyCollections(connection);
  if (occupied.length > 0 && !force) {
    throw new BackupError(`目标数据库不为空（${occupied.join('、')}），拒绝恢复；确认要覆盖时加 --force`);
  }
  const db = database(connection);
  if (force) {
    for (const name of await collectionNames(connection)) await db.collection(name).drop();
  }
  for (const entry of manifest.collections) {
    const collection = db.collection(entry.name);
    await db.createCollection(entry.name).catch((err: { codeName?: string }) => {
      if (err.codeName !== 'NamespaceExists') throw err;
    });
    let batch: mongoose.mongo.Document[] = [];
    for await (const line of lines(path.join(dir, path.basename(entry.file)))) {
      batch.push(EJSON.parse(line, { relaxed: false }) as mongoose.mongo.Document);
      if (batch.length === BATCH) {
        await collection.insertMany(batch, { ordered: true });
        batch = [];
      }
    }
    if (batch.length > 0) await collection.insertMany(batch, { ordered: true });
  }
  return manifest;
}
