/**
 * Files in the store (GridFS): uploaded policy versions, evaluation reports, complaint attachments and rendered
 * DOCX reports. One bucket per kind of file, so each can be listed and cleaned up on its own.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import mongoose, { type Connection } from 'mongoose';
import { NotFoundError } from '../domain/errors';

/** `screeningUploads`: the ZIPs screening batches are started from. */
export type Bucket = 'policyVersions' | 'evaluations' | 'complaintAttachments' | 'reports' | 'screeningUploads';

export interface StoredFile {
  fileId: string;
  filename: string;
  size: number;
  sha256: string;
}

function bucket(connection: Connection, name: Bucket) {
  if (!connection.db) throw new Error('store not connected');
  return new mongoose.mongo.GridFSBucket(connection.db, { bucketName: name });
}

export function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

export async function saveFile(connection: Connection, name: Bucket, filename: string, data: Buffer, metadata: Record<string, unknown> = {}): Promise<StoredFile> {
  const digest = sha256(data);
  const upload = bucket(connection, name).openUploadStream(filename, { metadata: { ...metadata, sha256: digest } });
  await new Promise<void>((resolve, reject) => {
    Readable.from([data]).pipe(upload).on('error', reject).on('finish', () => resolve());
  });
  return { fileId: String(upload.id), filename, size: data.length, sha256: digest };
}

export async function readFile(connection: Connection, name: Bucket, fileId: string): Promise<Buffer> {
  if (!mongoose.isValidObjectId(fileId)) throw new NotFoundError('file_not_found', '文件不存在');
  const id = new mongoose.Types.ObjectId(fileId);
  const [meta] = await bucket(connection, name).find({ _id: id }).toArray();
  if (!meta) throw new NotFoundError('file_not_found', '文件不存在');
  const chunks: Buffer[] = [];
  for await (const chunk of bucket(connection, name).openDownloadStream(id)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A writable stream into the bucket: large uploads go to the store as they arrive, never whole into memory. */
export function openUploadStream(connection: Connection, name: Bucket, filename: string, metadata: Record<string, unknown> = {}) {
  return bucket(connection, name).openUploadStream(filename, { metadata });
}

/** A readable stream of a stored file. */
export function openDownloadStream(connection: Connection, name: Bucket, fileId: string): Readable {
  if (!mongoose.isValidObjectId(fileId)) throw new NotFoundError('file_not_found', '文件不存在');
  return bucket(connection, name).openDownloadStream(new mongoose.Types.ObjectId(fileId));
}

export async function deleteFile(connection: Connection, name: Bucket, fileId: string): Promise<void> {
  if (!mongoose.isValidObjectId(fileId)) return;
  try {
    await bucket(connection, name).delete(new mongoose.Types.ObjectId(fileId));
  } catch (err) {
    if (!(err instanceof Error && /not found/i.test(err.message))) throw err;
  }
}

/** Deletes the files whose metadata matches (e.g. a re-render replacing an earlier attempt's output). */
export async function deleteFiles(connection: Connection, name: Bucket, metadata: Record<string, unknown>): Promise<number> {
  const filter = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`metadata.${k}`, v]));
  const b = bucket(connection, name);
  const files = await b.find(filter).toArray();
  for (const file of files) await b.delete(file._id);
  return files.length;
}

export async function countFiles(connection: Connection, name: Bucket): Promise<number> {
  return (await bucket(connection, name).find({}).toArray()).length;
}

/** Content-Disposition for a download with a Chinese file name (RFC 6266 / RFC 5987). */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
