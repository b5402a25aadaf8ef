/**
 * Deciding whether two lines belong to one paragraph, shared by PDF (visual line wraps) and DOCX (manual line
 * breaks): a line starting with a structural marker, or following a sentence end, starts a new paragraph.
 */

/** 第X章/节/条, （一）, 一、, 1. 1、, ① at the start of a line. */
export const STRUCTURAL_START =
  /^(?:第[\s零〇一二两三四五六七八九十百千\d]+[章节条编]|[（(][\s一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d{1,3}(?:[、．]|\.(?!\d))|[\u2460-\u2473])/;

/** A line ending like this closes its paragraph (sentence end, colon before a list, closing quote/bracket). */
export const PARAGRAPH_END = /[。！？；：:;!?」』”）)]$/;

export function startsNewParagraph(previousLine: string, line: string): boolean {
  return STRUCTURAL_START.test(line.trimStart()) || PARAGRAPH_END.test(previousLine.trimEnd());
}
