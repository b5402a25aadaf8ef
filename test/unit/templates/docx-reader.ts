/**
 * Re-opens a generated DOCX the way a reader would: unzip it and read the WordprocessingML back into text, per
 * paragraph, per table row and per comment range. Deliberately independent of the builders' code.
 */
import JSZip from 'jszip';

export interface OpenedDocx {
  files: string[];
  document: string;
  comments: string | undefined;
  styles: string;
  fontTable: string;
  footers: string[];
  settings: string;
}

export async function openDocx(buffer: Buffer): Promise<OpenedDocx> {
  const zip = await JSZip.loadAsync(buffer);
  const read = async (path: string) => zip.file(path)?.async('string');
  const files = Object.keys(zip.files);
  const footers = await Promise.all(files.filter((f) => /^word\/footer\d+\.xml$/.test(f)).map((f) => read(f) as Promise<string>));
  return {
    files,
    document: (await read('word/document.xml')) ?? '',
    comments: await read('word/comments.xml'),
    styles: (await read('word/styles.xml')) ?? '',
    fontTable: (await read('word/fontTable.xml')) ?? '',
    footers,
    settings: (await read('word/settings.xml')) ?? '',
  };
}

export function decodeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    switch (entity) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
    }
  });
}

const TEXT_RUN = /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g;

/** The text of an XML fragment: every <w:t> in order, decoded. */
export function textOf(xml: string): string {
  let text = '';
  for (const match of xml.matchAll(TEXT_RUN)) text += decodeXml(match[1] ?? '');
  return text;
}

/** One string per paragraph (table cells' paragraphs included), in document order. */
export function paragraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => textOf(m[0]));
}

/** One array of cell texts per table row. */
export function tableRows(xml: string): string[][] {
  return [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((row) =>
    [...row[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((c) => paragraphs(c[0]).join('\n')),
  );
}

/** The text between commentRangeStart and commentRangeEnd of each comment id, across runs and paragraphs. */
export function commentAnchors(documentXml: string): Map<number, string> {
  const anchors = new Map<number, string>();
  const open = new Set<number>();
  const token = /<w:commentRangeStart w:id="(\d+)"\/>|<w:commentRangeEnd w:id="(\d+)"\/>|<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g;
  for (const m of documentXml.matchAll(token)) {
    if (m[1] !== undefined) {
      open.add(Number(m[1]));
      anchors.set(Number(m[1]), '');
    } else if (m[2] !== undefined) {
      open.delete(Number(m[2]));
    } else {
      const text = decodeXml(m[3] ?? '');
      for (const id of open) anchors.set(id, (anchors.get(id) ?? '') + text);
    }
  }
  return anchors;
}

/** The runs' XML (properties included) that lie inside comment range `id`. */
export function runsInComment(documentXml: string, id: number): string[] {
  const start = documentXml.indexOf(`<w:commentRangeStart w:id="${id}"/>`);
  const end = documentXml.indexOf(`<w:commentRangeEnd w:id="${id}"/>`);
  if (start < 0 || end < 0) return [];
  return [...documentXml.slice(start, end).matchAll(/<w:r>[\s\S]*?<\/w:r>/g)].map((m) => m[0]).filter((r) => r.includes('<w:t'));
}

/** The body text of each comment in comments.xml, paragraphs joined by newlines. */
export function commentBodies(commentsXml: string | undefined): Map<number, string> {
  const bodies = new Map<number, string>();
  for (const m of (commentsXml ?? '').matchAll(/<w:comment w:id="(\d+)"[^>]*>([\s\S]*?)<\/w:comment>/g)) {
    bodies.set(Number(m[1]), paragraphs(m[2] ?? '').join('\n'));
  }
  return bodies;
}

/** Every part a reader sees: body, comments and footers. */
export function visibleXml(docx: OpenedDocx): string {
  return [docx.document, docx.comments ?? '', ...docx.footers].join('');
}
