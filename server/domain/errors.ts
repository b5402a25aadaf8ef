/**
 * One error type per kind of failure. Each carries a machine `code`, a Chinese `title` and message,
 * and the HTTP status it maps to; `server/middleware/problem.ts` turns them into problem+json in one place.
 * Domain code throws these; it never touches `res`.
 */
export type ProblemDetails = Record<string, unknown>;

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  constructor(
    readonly code: string,
    message: string,
    readonly details: ProblemDetails = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request itself is malformed (bad JSON, unknown fields, wrong types, operator injection). */
export class ValidationError extends AppError {
  readonly status = 400;
  readonly title = '请求参数不合法';
}

/** 401: no valid credentials. */
export class UnauthenticatedError extends AppError {
  readonly status = 401;
  readonly title = '未登录或登录已失效';
}

/** 403: authenticated, but this role or department may not do this. */
export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly title = '无权执行此操作';
}

/** 404: unknown id. */
export class NotFoundError extends AppError {
  readonly status = 404;
  readonly title = '资源不存在';
}

/** 409: illegal workflow move, stale revision, duplicate. */
export class ConflictError extends AppError {
  readonly status = 409;
  readonly title = '操作与当前状态冲突';
}

/** 413: upload or body too large, or a document that unpacks too large. */
export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly title = '文件或请求体过大';
}

/** 415: the file is not what it claims to be, or of a type we do not accept. */
export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly title = '不支持的文件类型';
}

/** 422: well-formed, but a business precondition is missing (names what is missing in `details.missing`). */
export class PreconditionError extends AppError {
  readonly status = 422;
  readonly title = '缺少必要条件';
}

/** 429: too many requests (login, public complaint intake). */
export class RateLimitedError extends AppError {
  readonly status = 429;
  readonly title = '请求过于频繁';
}

/** 503: a backing service (store, Redis, analyser) is not available. */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly title = '服务暂不可用';
}

/**
 * A typed failure: one of the errors above, or one of the same shape (status, title, code, details) from a library
 * that cannot import these, i.e. the analyser's DocumentError (workers/analysis/extract/errors.ts).
 */
export function isAppError(err: unknown): err is AppError {
  if (err instanceof AppError) return true;
  const e = err as Partial<AppError> | null;
  return err instanceof Error && typeof e?.status === 'number' && typeof e.title === 'string' && typeof e.code === 'string' && typeof e.details === 'object';
}
