import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';
import { nodeBuiltinStubs } from './node-builtin-stubs';

// Written by TypeDoc (typedoc-vitepress-theme) next to the API pages.
const apiSidebarPath = fileURLToPath(new URL('../reference/api/typedoc-sidebar.json', import.meta.url));

function apiSidebar(): DefaultTheme.SidebarItem[] {
  try {
    return JSON.parse(readFileSync(apiSidebarPath, 'utf8')) as DefaultTheme.SidebarItem[];
  } catch {
    throw new Error(`missing ${apiSidebarPath}: run "pnpm --filter @nimc/docs generate" (TypeDoc writes it) before building the site`);
  }
}

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: 'Guide',
    items: [
      { text: 'What is NIMC?', link: '/guide/what-is-nimc' },
      { text: 'Installation', link: '/guide/installation' },
      { text: 'First run', link: '/guide/first-run' },
      { text: 'Your own data', link: '/guide/your-data' },
      { text: 'MovieLens settings', link: '/guide/movielens-settings' },
    ],
  },
];

const experiments: DefaultTheme.SidebarItem[] = [
  {
    text: 'Experiments',
    items: [
      { text: 'Overview and report format', link: '/experiments/' },
      { text: 'MovieLens cold start', link: '/experiments/movielens' },
      { text: 'Recovery', link: '/experiments/recovery' },
      { text: 'Hessian geometry', link: '/experiments/hessian' },
      { text: 'Benchmarks', link: '/experiments/benchmarks' },
    ],
  },
];

const reference: DefaultTheme.SidebarItem[] = [
  { text: 'CLI reference', link: '/reference/cli' },
  { text: 'API reference', link: '/reference/api/', items: apiSidebar() },
];

export default defineConfig({
  title: 'nimc',
  description: 'Non-linear inductive matrix completion in TypeScript: library, CLI and experiments.',
  lang: 'en-US',
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  srcExclude: ['README.md', 'data/**', '**/generated/**', 'scripts/**', 'test/**', 'test-results/**'],
  lastUpdated: false,
  markdown: { math: true },
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/guide/what-is-nimc', activeMatch: '/guide/' },
      { text: 'Reference', link: '/reference/cli', activeMatch: '/reference/' },
      { text: 'Experiments', link: '/experiments/', activeMatch: '/experiments/' },
      { text: 'Playground', link: '/playground' },
    ],
    sidebar: {
      '/guide/': guide,
      '/reference/': reference,
      '/experiments/': experiments,
    },
    search: { provider: 'local' },
    outline: { level: [2, 3] },
  },
  vite: {
    plugins: [nodeBuiltinStubs()],
    // The largest chunk is the local search index (about 650 kB, mostly the API reference),
    // which the browser loads only when the search box opens.
    build: { chunkSizeWarningLimit: 1024 },
    // The playground worker imports these CommonJS packages through @nimc/linalg. Listing
    // them lets the dev server prepare them at start instead of reloading the page mid-run.
    optimizeDeps: { include: ['@nimc/linalg > seedrandom', '@nimc/linalg > ml-matrix'] },
    worker: { format: 'es', plugins: () => [nodeBuiltinStubs()] },
  },
});
