// The web UI build: Vue single-file components into static files under web/dist, which the API serves at /.
// scripts/services/webBuild.ts runs it when the sources changed; nothing is fetched at run time.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  plugins: [vue()],
  resolve: { alias: { '@server': path.resolve(here, '../server') } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Element Plus is one chunk on purpose (loaded once, cached); the charts load only on the statistics page.
    chunkSizeWarningLimit: 1600,
    // No inline scripts anywhere: the server's CSP allows script-src 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
