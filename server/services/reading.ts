/**
 * Use cases of the reading view:
 * - the text of one document version as the reader sees it: the extracted text (the very string the analyser
 *   read, so every finding's offsets point into it) and its 章/节/条 headings with offsets, for navigation;
 * - the comparison of two versions clause by clause, with the findings each change resolved.
 *
 * The text is extracted again from the stored file on each request rather than stored at analysis: extraction
 * is deterministic and takes tens of milliseconds for a 60,000-character draft, and versions analysed before
 * this view existed need no migration.
 */
import { readFile } from '../db/files';
import { FindingRepository } from '../db/findingRepository';
import { PolicyRepository } from '../db/policyRepository';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import type { PolicyVersion } from '../domain/policy';
import type { Actor } from '../domain/roles';
import { compareVersions, type Clause, type VersionComparison } from '../domain/versionComparison';
import { extractDocument } from '../../workers/analysis/extract/index';
import { outline, type OutlineNode } from '../../workers/analysis/segment';
import type { ServiceDeps } from './deps';
import { findVersion } from './policyVersions';

type Deps = Pick<ServiceDeps, 'models' | 'store' | 'config'>;

/** A navigation entry: a chapter, section or article heading and the span it covers. */
export interface Heading {
  kind: 'chapter' | 'section' | 'article';
  /** "第三章", "第十二条" */
  label: string;
  /** chapter and section titles ("总则"); '' for articles */
  title: string;
  path: string;
  depth: number;
  start: number;
  end: number;
}

export interface VersionText {
  versionN: number;
  filename: string;
  text: string;
  headings: Heading[];
}

const NAVIGABLE = new Set<OutlineNode['kind']>(['chapter', 'section', 'article']);

function headingsOf(nodes: readonly OutlineNode[], depth = 0, out: Heading[] = []): Heading[] {
  for (const node of nodes) {
    if (!NAVIGABLE.has(node.kind)) continue;
    out.push({
      kind: node.kind as Heading['kind'],
      label: node.label,
      title: node.title?.text ?? '',
      path: node.path,
      depth,
      start: node.start,
      end: node.end,
    });
    headingsOf(node.children, depth + 1, out);
  }
  return out;
}

/** The extracted text of `version` (of a policy the caller found readable) and its headings. */
async function extractVersionText(deps: Deps, version: PolicyVersion): Promise<{ text: string; headings: Heading[] }> {
  if (!version.fileId) throw new NotFoundError('file_not_found', `第 ${version.n} 版没有文件`);
  const file = await readFile(deps.store, 'policyVersions', version.fileId);
  const document = await extractDocument(file, { filename: version.filename, mimeType: version.mimeType, maxBytes: deps.config.MAX_UPLOAD_BYTES });
  return { text: document.text, headings: headingsOf(outline(document.text)) };
}

export async function readVersionText(deps: Deps, actor: Actor, policyId: string, n: string): Promise<VersionText> {
  const version = findVersion(await new PolicyRepository(deps.models).findReadable(policyId, actor), n);
  const { text, headings } = await extractVersionText(deps, version);
  return { versionN: version.n, filename: version.filename, text, headings };
}

// ---------- comparison of two versions ----------

/** The clauses compared: articles, or (outside any article) the top-level paragraphs and items; headings are not clauses. */
function clausesOf(text: string, nodes: readonly OutlineNode[], out: Clause[] = []): Clause[] {
  for (const node of nodes) {
    if (node.kind === 'chapter' || node.kind === 'section') clausesOf(text, node.children, out);
    else out.push({ label: node.label, path: node.path, text: text.slice(node.start, node.end), start: node.start, end: node.end });
  }
  return out;
}

async function comparable(deps: Deps, policyId: string, version: PolicyVersion) {
  const [file, findings] = await Promise.all([
    extractVersionText(deps, version),
    new FindingRepository(deps.models).comparable(policyId, version.n),
  ]);
  return { n: version.n, clauses: clausesOf(file.text, outline(file.text)), findings };
}

/**
 * Compares version `n` of a readable policy with version `withN`, or with the latest analysed version before it:
 * the changed, added and removed clauses and the findings each change resolved.
 */
export async function compareVersionTexts(deps: Deps, actor: Actor, policyId: string, n: string, withN: number | undefined): Promise<VersionComparison> {
  const policy = await new PolicyRepository(deps.models).findReadable(policyId, actor);
  const to = findVersion(policy, n);
  if (withN === to.n) throw new ValidationError('same_version', `不能将第 ${to.n} 版与其自身比较，请在参数 with 中指定另一版本`);
  const from = withN === undefined
    ? policy.versions.filter((v) => v.n < to.n && v.analysis.status === 'analysed').at(-1)
    : policy.versions.find((v) => v.n === withN);
  if (withN !== undefined && !from) throw new NotFoundError('version_not_found', `第 ${withN} 版不存在`);
  if (!from) throw new ConflictError('nothing_to_compare', `第 ${to.n} 版之前没有已完成分析的版本可供比较`);
  for (const v of [from, to]) {
    if (v.analysis.status !== 'analysed') throw new ConflictError('version_not_analysed', `第 ${v.n} 版尚未完成分析，暂不能比较`);
  }
  const [earlier, later] = from.n < to.n ? [from, to] : [to, from];
  return compareVersions(await comparable(deps, policy.id, earlier), await comparable(deps, policy.id, later));
}
