import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import NimcPlayground from './playground/NimcPlayground.vue';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('NimcPlayground', NimcPlayground);
  },
} satisfies Theme;
