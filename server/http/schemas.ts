/** Small zod building blocks shared by the route files. */
import { z } from 'zod';

export const objectId = z.string().regex(/^[a-f0-9]{24}$/i, '不是合法的编号');
export const idParams = z.strictObject({ id: objectId });
export const paging = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};
export const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());
/**
 * An id in a path. Deliberately any short string: a malformed id names no record, so it answers 404 like an
 * unknown one rather than 400 (the repository checks the format before querying).
 */
export const pathId = z.string().min(1).max(64);
