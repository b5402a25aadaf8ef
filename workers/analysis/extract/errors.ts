/**
 * The extraction failures, each a typed AppError with a machine code and a Chinese message for the uploader.
 * Kept in one place so the wording stays consistent across formats.
 */
import { PayloadTooLargeError, UnreadableDocumentError, UnsupportedMediaTypeError } from '../../../server/errors.js';

export type DocumentFormat = 'docx' | 'pdf' | 'txt';

const FORMAT_NAMES: Record<DocumentFormat, string> = { docx: 'DOCX', pdf: 'PDF', txt: 'TXT 文本' };

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? mb.toFixed(0) : mb.toFixed(1);
}

export function fileTooLarge(size: number, limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError('file_too_large', `文件大小为 ${megabytes(size)} MB，超过上限 ${megabytes(limit)} MB。`, {
    size,
    limit,
  });
}

export function unpackedTooLarge(limit: number, entry?: string): PayloadTooLargeError {
  return new PayloadTooLargeError(
    'docx_unpacked_too_large',
    `DOCX 文件解压后超过上限 ${megabytes(limit)} MB，可能是异常的压缩文件（压缩炸弹），已拒绝处理。`,
    { limit, ...(entry ? { entry } : {}) },
  );
}

export function unsupportedType(hint?: string): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    'unsupported_file_type',
    `${hint ? `不支持的文件类型（${hint}）。` : '无法识别的文件类型。'}请上传 DOCX、PDF 或 TXT（UTF-8/GB18030 编码）文件。`,
    hint ? { hint } : {},
  );
}

export function typeMismatch(detected: DocumentFormat, claimed: DocumentFormat): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    'file_type_mismatch',
    `文件内容是 ${FORMAT_NAMES[detected]}，与声明的文件类型 ${FORMAT_NAMES[claimed]} 不符，请检查文件后重新上传。`,
    { detected, claimed },
  );
}

export function legacyWordFormat(): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    'legacy_word_format',
    '不支持旧版 Word（.doc）或 WPS 格式，请另存为 DOCX 后重新上传。',
  );
}

export function notADocx(): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
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
