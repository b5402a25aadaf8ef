import { runTypeScript } from './bootstrap.mjs';
await runTypeScript('scripts/buildWeb.ts');
