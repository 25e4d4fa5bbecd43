import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.config.base';

// The shims give the CommonJS build an `import.meta.url`, which the version lookup needs.
export default defineConfig({ ...packageBuild, shims: true });
