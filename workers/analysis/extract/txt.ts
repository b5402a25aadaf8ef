/**
 * Plain text: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030. A buffer counts as text only if it
 * decodes without control-character garbage, which is also how random binary is told apart from text.
 */
import iconv from 'iconv-lite';
import { noText } from './errors.js';
import type { ExtractedBlock } from './types.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

/** Share of suspicious characters tolerated (a stray form feed or one broken character in a long file). */
const MAX_GARBAGE_RATIO = 0.002;

function garbageCount(text: string): number {
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return Infinity;
    if (
      (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0xfffd ||
      (c >= 0xe000 && c <= 0xf8ff)
    ) {
      bad++;
    }
  }
  return bad;
}

function plausible(text: string): boolean {
  const bad = garbageCount(text);
  return bad === 0 || bad <= text.length * MAX_GARBAGE_RATIO;
}

function strictUtf8(buf: Uint8Array): string | undefined {
  try {
    // stream: true tolerates a multi-byte character cut off at the very end (a truncated upload)
    return new TextDecoder('utf-8', { fatal: true }).decode(buf, { stream: true });
  } catch {
    return undefined;
  }
}

/** Decodes a buffer as text, or returns undefined when it is not plausible text in a supported encoding. */
export function decodeText(buf: Buffer): DecodedText | undefined {
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    const text = strictUtf8(buf.subarray(3));
    return text !== undefined && plausible(text) ? { text, encoding: 'utf-8' } : undefined;
  }
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const encoding = buf[0] === 0xff ? 'utf-16le' : 'utf-16be';
    const text = new TextDecoder(encoding).decode(buf.subarray(2));
    return plausible(text) ? { text, encoding } : undefined;
  }
  const utf8 = strictUtf8(buf);
  if (utf8 !== undefined) return plausible(utf8) ? { text: utf8, encoding: 'utf-8' } : undefined;
  const gb = iconv.decode(buf, 'gb18030');
  return plausible(gb) ? { text: gb, encoding: 'gb18030' } : undefined;
}

export interface TextResult {
  text: string;
  blocks: ExtractedBlock[];
}

/** Normalises line ends to "\n" and makes one block per non-blank line. */
export function textToDocument(decoded: string): TextResult {
  const text = decoded.replace(/\r\n?/g, '\n');
  const blocks: ExtractedBlock[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let s = lineStart;
    let e = lineEnd;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) blocks.push({ start: s, end: e });
    lineStart = lineEnd + 1;
  }
  if (!/[\p{L}\p{N}]/u.test(text)) throw noText('txt');
  return { text, blocks };
}
