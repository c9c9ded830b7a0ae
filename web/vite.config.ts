/// <reference types="vitest/config" />
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

const outDir = fileURLToPath(new URL('./dist', import.meta.url))

/**
 * Empties dist before a build but keeps its tracked .gitkeep (Vite's emptyOutDir would delete
 * it): web/web.go embeds dist, which must exist in a fresh clone, and a build must never
 * change a tracked file.
 */
function emptyDistKeepGitkeep(): Plugin {
  return {
    name: 'dangjian:empty-dist',
    apply: 'build',
    buildStart() {
      for (const name of fs.existsSync(outDir) ? fs.readdirSync(outDir) : []) {
        if (name !== '.gitkeep') fs.rmSync(path.join(outDir, name), { recursive: true, force: true })
      }
    },
  }
}

// The unit tests (vitest) do not write the declaration files: the auto-import plugin rewrites
// its file on every start, same content, new mtime, and the Makefile would rebuild the app.
const dts = (file: string) => (process.env.VITEST ? false : file)

// Element Plus components are imported on demand (with their styles) so that the login page
// only loads what it uses; ECharts is imported per chart in src/orgs/charts.ts.
export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver()], dts: dts('src/auto-imports.d.ts') }),
    Components({ resolvers: [ElementPlusResolver()], dts: dts('src/components.d.ts'), dirs: [] }),
    emptyDistKeepGitkeep(),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir,
    emptyOutDir: false, // emptyDistKeepGitkeep does it
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': {
        target: 'http://127.0.0.1:8080',
        changeOrigin: true,
        // The server checks Origin on browser writes; present the dev origin as the server's own.
        configure: (proxy) => {
          proxy.on('proxyReq', (req) => {
            if (req.getHeader('origin')) req.setHeader('origin', 'http://127.0.0.1:8080')
          })
        },
      },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
})
