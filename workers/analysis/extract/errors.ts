/**
 * The extraction failures, each typed with a machine code, a Chinese message for the uploader and the HTTP status
 * an upload of such a document answers. Kept in one place so the wording stays consistent across formats. The
 * analyser is a library over the rulebook alone, so these are its own classes; they have the shape of the
 * server's AppError (status, title, code, details), which is how the server's problem handler recognises them.
 */
type Details = Record<string, unknown>;

export abstract class DocumentError extends Error {
  abstract readonly status: 413 | 415 | 422;
  abstract readonly title: string;
  constructor(
    readonly code: string,
    message: string,
    readonly details: Details = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 413: the file, or what it unpacks to, is larger than allowed. */
export class DocumentTooLargeError extends DocumentError {
  readonly status = 413;
  readonly title = '文件或请求体过大';
}

/** 415: the file is not what it claims to be, or of a type we do not accept. */
export class UnsupportedDocumentError extends DocumentError {
  readonly status = 415;
  readonly title = '不支持的文件类型';
}

/** 422: a document we accept by type but cannot read (encrypted, empty, image-only, corrupt). */
export class UnreadableDocumentError extends DocumentError {
  readonly status = 422;
  readonly title = '无法读取文档内容';
}

export type DocumentFormat = 'docx' | 'pdf' | 'txt';

const FORMAT_NAMES: Record<DocumentFormat, string> = { docx: 'DOCX', pdf: 'PDF', txt: 'TXT 文本' };

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? mb.toFixed(0) : mb.toFixed(1);
}

export function fileTooLarge(size: number, limit: number): DocumentTooLargeError {
  return new DocumentTooLargeError('file_too_large', `文件大小为 ${megabytes(size)} MB，超过上限 ${megabytes(limit)} MB。`, {
    size,
    limit,
  });
}

export function unpackedTooLarge(limit: number, entry?: string): DocumentTooLargeError {
  return new DocumentTooLargeError(
    'docx_unpacked_too_large',
    `DOCX 文件解压后超过上限 ${megabytes(limit)} MB，可能是异常的压缩文件（压缩炸弹），已拒绝处理。`,
    { limit, ...(entry ? { entry } : {}) },
  );
}

export function unsupportedType(hint?: string): UnsupportedDocumentError {
  return new UnsupportedDocumentError(
    'unsupported_file_type',
    `${hint ? `不支持的文件类型（${hint}）。` : '无法识别的文件类型。'}请上传 DOCX、PDF 或 TXT（UTF-8/GB18030 编码）文件。`,
    hint ? { hint } : {},
  );
}

export function typeMismatch(detected: DocumentFormat, claimed: DocumentFormat): UnsupportedDocumentError {
  return new UnsupportedDocumentError(
    'file_type_mismatch',
    `文件内容是 ${FORMAT_NAMES[detected]}，与声明的文件类型 ${FORMAT_NAMES[claimed]} 不符，请检查文件后重新上传。`,
    { detected, claimed },
  );
}

export function legacyWordFormat(): UnsupportedDocumentError {
  return new UnsupportedDocumentError(
    'legacy_word_format',
    '不支持旧版 Word（.doc）或 WPS 格式，请另存为 DOCX 后重新上传。',
  );
}

export function notADocx(): UnsupportedDocumentError {
  return new UnsupportedDocumentError(
    'not_a_docx',
    '压缩包中没有 Word 文档正文（word/document.xml），不是有效的 DOCX 文件。',
  );
}

export function encryptedDocument(format: 'docx' | 'pdf'): UnreadableDocumentError {
  return new UnreadableDocumentError(
    `${format}_encrypted`,
    `${FORMAT_NAMES[format]} 文件已加密，无法读取内容，请取消密码保护后重新上传。`,
    { format },
  );
}

export function noText(format: DocumentFormat): UnreadableDocumentError {
  return new UnreadableDocumentError(
    'document_no_text',
    '文档中没有可提取的文字，可能是扫描件，需先进行文字识别(OCR)。',
    { format, ocrRequired: true },
  );
}

export function emptyFile(): UnreadableDocumentError {
  return new UnreadableDocumentError('document_empty', '文件为空（0 字节），请重新上传。');
}

export function corruptDocument(format: DocumentFormat, reason?: string): UnreadableDocumentError {
  return new UnreadableDocumentError(
    'document_corrupt',
    `${FORMAT_NAMES[format]} 文件已损坏或不完整，无法读取内容。`,
    { format, ...(reason ? { reason: reason.slice(0, 200) } : {}) },
  );
}

export function extractionTimeout(format: DocumentFormat, timeoutMs: number): UnreadableDocumentError {
  return new UnreadableDocumentError(
    'extraction_timeout',
    `${FORMAT_NAMES[format]} 文件解析超时（超过 ${Math.round(timeoutMs / 1000)} 秒），文件可能已损坏或结构过于复杂。`,
    { format, timeoutMs },
  );
}
