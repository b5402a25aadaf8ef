/**
 * Use case: the text of one document version as the reader sees it — the extracted text (the very string the
 * analyser read, so every finding's offsets point into it) and its 章/节/条 headings with offsets, for the
 * reading view's navigation.
 *
 * The text is extracted again from the stored file on each request rather than stored at analysis: extraction
 * is deterministic and takes tens of milliseconds for a 60,000-character draft, and versions analysed before
 * this view existed need no migration.
 */
import type { Connection } from 'mongoose';
import { readFile } from '../db/files';
import { NotFoundError } from '../domain/errors';
import type { PolicyVersion } from '../domain/policy';
import { extractDocument } from '../../workers/analysis/extract/index';
import { outline, type OutlineNode } from '../../workers/analysis/segment';

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

/** The extracted text of `version`, which the caller has already found readable. */
export async function extractVersionText(store: Connection, version: PolicyVersion, maxBytes: number): Promise<{ text: string; headings: Heading[] }> {
  if (!version.fileId) throw new NotFoundError('file_not_found', `第 ${version.n} 版没有文件`);
  const file = await readFile(store, 'policyVersions', version.fileId);
  const document = await extractDocument(file, { filename: version.filename, mimeType: version.mimeType, maxBytes });
  return { text: document.text, headings: headingsOf(outline(document.text)) };
}

export async function readVersionText(store: Connection, version: PolicyVersion, maxBytes: number): Promise<VersionText> {
  const { text, headings } = await extractVersionText(store, version, maxBytes);
  return { versionN: version.n, filename: version.filename, text, headings };
}
