/** The registry of BullMQ processors, one file each in processors/ (what a processor is: processor.ts). */
import type { Processor } from './processor';
import { renderReport } from './processors/renderReport';
import { analysePolicyVersion } from './processors/analysePolicyVersion';
import { complaintDeadlines } from './processors/complaintDeadlines';
import { ingestScreeningBatch } from './processors/ingestScreeningBatch';
import { screenDocument } from './processors/screenDocument';

export type { Processor, WorkerDeps } from './processor';

export const processors: Processor[] = [
  complaintDeadlines as Processor,
  analysePolicyVersion as Processor,
  renderReport as Processor,
  screenDocument as Processor,
  ingestScreeningBatch as Processor,
];
