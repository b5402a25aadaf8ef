import { runTypeScript } from './bootstrap.mjs';
await runTypeScript('scripts/start.ts');
