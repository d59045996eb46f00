import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/** Vite build of the portal: sources in web/, output to dist/web, which the server serves. */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  resolve: {
    alias: { '@contracts': fileURLToPath(new URL('../contracts', import.meta.url)) },
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    // country flags stay files (CountryFlag.tsx): inlined, all 271 would weigh on every page load
    assetsInlineLimit: (file) => (file.includes('/flag-icons/') ? false : undefined),
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
