/**
 * Field limits from the server's own schemas, read from its OpenAPI document (GET /api/v1/openapi.json), so a
 * form allows exactly what the server accepts. Loaded once at boot; until it arrives (or if it cannot be read)
 * a form uses no limit of its own and the server's answer names the limit.
 */
import { reactive } from 'vue';
import { api } from './api.js';

const documentState = reactive({ paths: null });

export function loadLimits() {
  return api.get('/openapi.json').then((doc) => { documentState.paths = doc.paths ?? {}; }, () => {});
}

/**
 * The maxLength of a JSON body property: `maxLength('post', '/policies', 'title')`; dotted names go into nested
 * objects (`'exception.reasoning'`). undefined when unknown.
 */
export function maxLength(method, path, property) {
  const operation = documentState.paths?.[`/api/v1${path}`]?.[method];
  const content = operation?.requestBody?.content ?? {};
  let schema = (content['application/json'] ?? content['multipart/form-data'])?.schema;
  for (const part of property.split('.')) {
    schema = schema?.properties?.[part];
    if (schema?.anyOf) schema = schema.anyOf.find((s) => s.type !== 'null') ?? schema;
  }
  return typeof schema?.maxLength === 'number' ? schema.maxLength : undefined;
}
