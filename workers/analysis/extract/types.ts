export interface ExtractedBlock {
  /** Offsets into ExtractedDocument.text; text.slice(start, end) is one paragraph (or table cell, or line). */
  start: number;
  end: number;
  /** 1-based page number (PDF only). */
  page?: number;
  /** Paragraph style name (DOCX), or 'table' for table cells. */
  style?: string;
}

export interface ExtractedDocument {
  format: 'docx' | 'pdf' | 'txt';
  /** The document's paragraphs joined by "\n"; what the segmenter reads. */
  text: string;
  blocks: ExtractedBlock[];
  /** Page count (PDF only). */
  pages?: number;
}
