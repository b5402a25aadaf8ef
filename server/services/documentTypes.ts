/** The Content-Type of each document format the system accepts, and the type of stored bytes as they really are. */
import { detectFormat, type DocumentFormat } from '../../workers/analysis/extract/index';

export const DOCUMENT_CONTENT_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8',
};

/**
 * The type the bytes are (never what an uploader claimed): a file that is none of the accepted formats is served
 * as opaque bytes. Used with `X-Content-Type-Options: nosniff`, so a browser never renders it as anything else.
 */
export function sniffedContentType(data: Buffer): string {
  try {
    return DOCUMENT_CONTENT_TYPES[detectFormat(data).format];
  } catch {
    return 'application/octet-stream';
  }
}
