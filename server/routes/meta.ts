/**
 * What the web UI needs before anyone signs in: the app version, whether the server runs in demo mode (the
 * login page then lists the demo accounts), and the checklist of the 2024 条例 — ids, titles, legal basis and
 * sub-items in canonical order — so the UI never keeps its own copy of the rulebook — and the upload size limit
 * (the forms state it before anyone picks a file).
 *
 * The rulebook is read and validated once, when the app is built; every request answers the same object.
 */
import type { AppDeps } from '../appDeps';
import { loadChecklists } from '../../checklists/index';
import { ApiRouter } from '../http/endpoint';

export function metaRoutes(deps: AppDeps): ApiRouter {
  const api = new ApiRouter();
  const checklists = loadChecklists();
  const meta = {
    version: deps.version,
    demo: deps.config.FAIRREVIEW_DEMO,
    limits: { uploadBytes: deps.config.MAX_UPLOAD_BYTES },
    checklist: {
      version: checklists.version,
      items: checklists.items.map((item) => ({
        id: item.id,
        category: item.category,
        title: item.title,
        basis: { regulation: item.basis.regulation, measures: item.basis.measures },
        catchAll: item.catchAll,
        severity: item.severity,
        subItems: item.subItems.map((s) => ({ id: s.id, text: s.text })),
      })),
    },
  };

  api.endpoint({
    method: 'get',
    path: '/meta',
    summary: '系统信息：版本、是否演示模式、审查标准清单（19 项，按条例顺序）',
    tag: 'meta',
    auth: 'public',
  }, async () => meta);

  return api;
}
