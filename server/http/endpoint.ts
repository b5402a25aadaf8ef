/**
 * One way to declare an HTTP endpoint: its path, who may call it, and zod schemas for params, query and body.
 * The same declaration validates the request (unknown fields, wrong types, operator objects → 400) and feeds
 * the OpenAPI document, so the documentation cannot drift from what the server accepts.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Actor } from '../domain/roles';
import { PayloadTooLargeError, UnauthenticatedError, ValidationError } from '../domain/errors';
import { fieldName } from '../domain/fieldNames';
import { acceptedFields, issueMessage, unknownFieldsMessage } from './issueMessages';
import { wellFormedText } from './text';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface EndpointSpec<P, Q, B, A extends 'public' | 'user'> {
  method: Method;
  /** Express-style path relative to /api/v1, e.g. '/policies/:id'. */
  path: string;
  summary: string;
  tag: string;
  auth: A;
  params?: P;
  query?: Q;
  body?: B;
  /** A multipart upload with one file in this field (the body schema then covers the other fields). */
  upload?: { field: string; maxBytes: number };
  /** Success status (default 200; 201/202 for creations and accepted jobs). */
  status?: number;
  responses?: Record<number, string>;
}

export interface EndpointContext<P, Q, B, A> {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  actor: A extends 'user' ? Actor : Actor | undefined;
  file?: Express.Multer.File;
  req: Request;
  res: Response;
}

export type EndpointHandler<P, Q, B, A> = (ctx: EndpointContext<P, Q, B, A>) => Promise<unknown>;

interface RegisteredEndpoint { spec: EndpointSpec<Schema | undefined, Schema | undefined, Schema | undefined, 'public' | 'user'> }

/** A router that records its endpoints for the OpenAPI document. */
export class ApiRouter {
  readonly router = Router();
  readonly endpoints: RegisteredEndpoint[] = [];

  endpoint<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, A extends 'public' | 'user'>(
    spec: EndpointSpec<P, Q, B, A>,
    handler: EndpointHandler<P, Q, B, A>,
  ): void {
    this.endpoints.push({ spec: spec as RegisteredEndpoint['spec'] });
    // An upload is only read after the caller is known: anonymous requests are refused before buffering a file.
    const middlewares = spec.upload ? [requireUserFor(spec.auth), uploadMiddleware(spec.upload)] : [];
    this.router[spec.method](spec.path, ...middlewares, async (req, res, next) => {
      try {
        const actor = req.actor;
        if (spec.auth === 'user' && !actor) throw new UnauthenticatedError('unauthenticated', '请先登录');
        const ctx = {
          params: parse(spec.params, req.params, 'params'),
          query: parse(spec.query, req.query, 'query'),
          body: spec.upload ? parse(spec.body, { ...req.body }, 'body', [spec.upload.field]) : parse(spec.body, req.body, 'body'),
          actor,
          file: req.file && { ...req.file, originalname: wellFormedText(req.file.originalname, 'file.filename') },
          req,
          res,
        } as EndpointContext<P, Q, B, A>;
        const result = await handler(ctx);
        if (!res.headersSent) res.status(spec.status ?? 200).json(result ?? {});
      } catch (err) {
        next(err);
      }
    });
  }
}

function parse(schema: Schema | undefined, value: unknown, where: 'params' | 'query' | 'body', alsoAccepted: readonly string[] = []): unknown {
  if (!schema) {
    if (where === 'body' && value && typeof value === 'object' && Object.keys(value).length > 0) {
      throw new ValidationError('unexpected_body', '此接口不接受请求体');
    }
    return undefined;
  }
  const input = wellFormedText(value ?? {}, where);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // Each issue keeps its machine path for clients; its message and the detail say it in Chinese with the limit.
  const issues = result.error.issues.map((i) => {
    const message = i.code === 'unrecognized_keys' ? unknownFieldsMessage(i, accepted(schema, i.path, input, alsoAccepted), where) : issueMessage(i);
    const field = fieldName(i.path);
    // an unknown field of the request itself is named by the message; anything deeper is prefixed with where it is
    const sentence = message.startsWith(field) || (i.code === 'unrecognized_keys' && i.path.length === 0) ? message : `${field}：${message}`;
    return { path: [where, ...i.path.map(String)].join('.'), message, sentence };
  });
  throw new ValidationError('invalid_request', `请求参数不合法：${issues.map((i) => i.sentence).join('；')}`, {
    issues: issues.map(({ path, message }) => ({ path, message })),
  });
}

/** What the object at `path` accepts; at the top of an upload, also its file field. */
function accepted(schema: Schema, path: readonly PropertyKey[], input: unknown, alsoAccepted: readonly string[]): string[] {
  return path.length === 0 ? [...acceptedFields(schema, path, input), ...alsoAccepted] : acceptedFields(schema, path, input);
}

function requireUserFor(auth: 'public' | 'user'): RequestHandler {
  return (req, _res, next) => next(auth === 'user' && !req.actor ? new UnauthenticatedError('unauthenticated', '请先登录') : undefined);
}

function uploadMiddleware({ field, maxBytes }: { field: string; maxBytes: number }): RequestHandler {
  // defParamCharset: browsers send Chinese file names as raw UTF-8 in the part header, not latin1.
  const parse = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: maxBytes, files: 1, fields: 20 } }).single(field);
  // An oversized file is answered with the limit, so the person uploading knows what fits.
  return (req, res, next) => parse(req, res, (err?: unknown) => next((err as { code?: string } | undefined)?.code === 'LIMIT_FILE_SIZE'
    ? new PayloadTooLargeError('payload_too_large', `上传的文件超过大小限制：文件不能超过 ${megabytes(maxBytes)}`, { limitBytes: maxBytes })
    : err));
}

/** 20971520 → '20 MB', 65536 → '64 KB'. */
export function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Number((bytes / 1024 / 1024).toFixed(1))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Builds the OpenAPI 3.1 document from the declared endpoints. */
export function openApiDocument(routers: ApiRouter[], info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec } of routers.flatMap((r) => r.endpoints)) {
    const path = '/api/v1' + spec.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const parameters = [
      ...objectFields(spec.params).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...objectFields(spec.query).map(([name, schema, required]) => ({ name, in: 'query', required, schema })),
    ];
    const bodySchema = spec.body ? toJsonSchema(spec.body) : undefined;
    const requestBody = spec.upload
      ? { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { [spec.upload.field]: { type: 'string', format: 'binary' }, ...((bodySchema?.properties as object) ?? {}) }, required: [spec.upload.field] } } } }
      : bodySchema ? { required: true, content: { 'application/json': { schema: bodySchema } } } : undefined;
    const responses: Record<string, unknown> = { [String(spec.status ?? 200)]: { description: '成功' } };
    for (const [status, description] of Object.entries(spec.responses ?? {})) responses[status] = { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    if (spec.auth === 'user') responses['401'] = { description: '未登录' };
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.auth === 'user' ? { security: [{ bearer: [] }, { cookie: [] }] } : { security: [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'fr_session' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' }, detail: { type: 'string' }, instance: { type: 'string' } },
        },
        AllowedAction: {
          type: 'object',
          description:
            'One entry of `allowedActions`, which every policy, complaint and spot check (and GET /auth/me, for what the user may start) carries. ' +
            'An action is listed when the caller\'s role and the resource\'s state permit it; `allowed: false` means a precondition of the record is ' +
            'still missing and `reason` says which, in Chinese (e.g. {"action":"start_review","allowed":false,"reason":"请先上传草案文件"}). ' +
            'An action not listed cannot be taken by this caller now. Values the caller supplies are checked on the attempt. ' +
            '`kind` names the report of a `request_report`; `policyId` the drawn policy of a spot check\'s `record_result`.',
          required: ['action', 'allowed'],
          properties: {
            action: { type: 'string' },
            allowed: { type: 'boolean' },
            reason: { type: 'string' },
            kind: { type: 'string' },
            policyId: { type: 'string' },
          },
        },
      },
    },
  };
}

function toJsonSchema(schema: Schema): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

function objectFields(schema: Schema | undefined): Array<[string, unknown, boolean]> {
  if (!schema) return [];
  const json = toJsonSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, unknown>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => [name, s, required.has(name)]);
}
