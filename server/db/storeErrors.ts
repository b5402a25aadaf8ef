import mongoose, { type Schema } from 'mongoose';
import { ConflictError, ServiceUnavailableError, ValidationError, isAppError } from '../domain/errors';

/** Turns driver/mongoose failures into the project's typed errors; returns anything else unchanged. */
export function translateStoreError(err: unknown): unknown {
  if (isAppError(err)) return err;
  const e = err as { code?: number; name?: string; keyValue?: Record<string, unknown>; message?: string };
  if (e?.code === 11000 || e?.code === 11001) {
    const fields = Object.keys(e.keyValue ?? {});
    return new ConflictError('duplicate_key', `记录已存在${fields.length ? `: ${fields.join(', ')} 重复` : ''}`, { fields });
  }
  if (err instanceof mongoose.Error.ValidationError) {
    return new ValidationError('invalid_document', '数据不符合要求: ' + Object.keys(err.errors).join(', '), { fields: Object.keys(err.errors) });
  }
  if (err instanceof mongoose.Error.StrictModeError) {
    return new ValidationError('unknown_field', `不允许的字段: ${err.path}`, { field: err.path });
  }
  if (err instanceof mongoose.Error.CastError) {
    return new ValidationError('invalid_value', `字段 ${err.path} 的值类型不正确`, { field: err.path });
  }
  if (e?.name === 'MongoServerSelectionError' || e?.name === 'MongoNetworkError' || e?.name === 'MongoNotConnectedError') {
    return new ServiceUnavailableError('store_unavailable', '数据存储暂不可用，请稍后重试');
  }
  return err;
}

/** Makes every write through a model fail with a typed error (e.g. a unique-index violation → ConflictError). */
export function translateStoreErrors(schema: Schema): void {
  // Mongoose treats a post hook with three parameters as an error handler.
  const handler = (error: unknown, _res: unknown, next: (err?: Error) => void) => next(translateStoreError(error) as Error);
  for (const op of ['save', 'insertMany', 'findOneAndUpdate', 'updateOne', 'updateMany'] as const) {
    schema.post(op as 'save', handler as unknown as () => void);
  }
}
