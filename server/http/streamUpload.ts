/**
 * A multipart upload read as a stream: the one file field is handed on as it arrives (to GridFS), never
 * buffered whole, for uploads too large for memory (a screening batch's ZIP). Text fields sent before the file
 * are available to the consumer.
 */
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { UnsupportedMediaTypeError, ValidationError } from '../domain/errors';

export interface StreamedFile {
  stream: Readable;
  filename: string;
  mimeType: string;
  /** text fields that came before the file part */
  fields: Record<string, string>;
}

export async function receiveFileStream<T>(req: Request, field: string, consume: (file: StreamedFile) => Promise<T>): Promise<T> {
  if (!req.is('multipart/form-data')) throw new UnsupportedMediaTypeError('multipart_required', `请以 multipart/form-data 上传，文件放在字段 ${field} 中`);
  return new Promise<T>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let handled = false;
    const parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fields: 10, fieldSize: 10_000 } });
    parser.on('field', (name: string, value: string) => { fields[name] = value; });
    parser.on('file', (name: string, stream: Readable, info: { filename: string; mimeType: string }) => {
      if (name !== field || handled) {
        stream.resume();
        return;
      }
      handled = true;
      consume({ stream, filename: info.filename || 'upload.zip', mimeType: info.mimeType, fields }).then(resolve, (err: unknown) => {
        req.unpipe(parser);
        req.resume();
        reject(err);
      });
    });
    parser.on('error', (err: Error) => reject(new ValidationError('invalid_multipart', `上传内容不完整或格式错误：${err.message}`)));
    parser.on('close', () => {
      if (!handled) reject(new ValidationError('invalid_request', `缺少上传文件：字段 ${field}`, { issues: [{ path: `body.${field}`, message: '缺少文件' }] }));
    });
    req.pipe(parser);
  });
}
