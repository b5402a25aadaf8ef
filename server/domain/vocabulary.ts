/** The shared vocabulary, where the web UI's build imports it from (`@server/domain/vocabulary.ts`); it lives in checklists/vocabulary.ts. */
export * from '../../checklists/vocabulary';
