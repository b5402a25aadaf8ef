import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { AppError, NotFoundError, PayloadTooLargeError, ServiceUnavailableError, UnsupportedMediaTypeError, ValidationError, isAppError } from '../domain/errors';
import { translateStoreError } from '../db/storeErrors';

/** The one place where failures become HTTP: problem+json (RFC 9457) with a Chinese title and a machine code. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    if (!appError) {
      logger.error({ err, path: req.path }, 'unhandled error');
    }
    const status = appError?.status ?? 500;
    const body = {
      type: `urn:fairreview:problem:${appError?.code ?? 'internal_error'}`,
      title: appError?.title ?? '服务器内部错误',
      status,
      code: appError?.code ?? 'internal_error',
      detail: appError?.message ?? '服务器内部错误，请稍后重试或联系管理员',
      instance: req.originalUrl,
      ...(appError?.details ?? {}),
    };
    if (res.headersSent) return;
    res.status(status).type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError('route_not_found', `接口不存在: ${req.method} ${req.path}`));
};

function toAppError(err: unknown): AppError | undefined {
  if (isAppError(err)) return err;
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return new ValidationError('invalid_request', '请求参数不合法: ' + issues.map((i) => i.path || '(根)').join(', '), { issues });
  }
  const e = err as { type?: string; code?: string; status?: number; message?: string; storageErrors?: unknown };
  if (e?.type === 'entity.parse.failed') return new ValidationError('invalid_json', '请求体不是合法的 JSON');
  if (e?.type === 'entity.too.large' || e?.code === 'LIMIT_FILE_SIZE') return new PayloadTooLargeError('payload_too_large', '文件或请求体超过大小限制');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported') return new UnsupportedMediaTypeError('unsupported_encoding', '不支持的请求编码');
  if (typeof e?.code === 'string' && e.code.startsWith('LIMIT_')) return new ValidationError('invalid_upload', '上传请求不合法: ' + e.code);
  // zlib, through the body parser: the body is not what its Content-Encoding says, or is cut short
  if (typeof e?.code === 'string' && e.code.startsWith('Z_') && e.status === 400) return new ValidationError('invalid_encoding', '请求体无法按其 Content-Encoding 解压（数据损坏或不完整）');
  // busboy, through multer: a multipart body cut short, without a boundary, or with a broken part header
  if (e?.storageErrors !== undefined || /^Multipart: /.test(e?.message ?? '')) return new ValidationError('invalid_multipart', `multipart 请求体不完整或格式错误（${e.message ?? ''}）`);
  // any other request the body parser refused as malformed (aborted, wrong length): 400, never 500
  if (e?.status === 400 && typeof e.type === 'string') return new ValidationError('invalid_request_body', '请求体不完整或格式错误');
  if (isRedisUnavailable(err)) return new ServiceUnavailableError('queue_unavailable', '任务队列暂不可用，请稍后重试（已保存的内容不受影响）');
  const translated = translateStoreError(err);
  return isAppError(translated) ? translated : undefined;
}

/**
 * What ioredis throws while Redis is unreachable (the API's clients give up after one reconnection attempt, see
 * createRedis). Only the job queues still need Redis on a request path, so it means "the queue is unavailable".
 */
function isRedisUnavailable(err: unknown): boolean {
  const e = err as { name?: string; message?: string } | undefined;
  if (!e || typeof e !== 'object') return false;
  return e.name === 'MaxRetriesPerRequestError'
    || e.message === 'Connection is closed.'
    || /enableOfflineQueue/.test(e.message ?? '');
}
