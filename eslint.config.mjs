import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * `no-restricted-imports` for the files of one layer: no relative import into any of `above` at any depth,
 * plus `extra` patterns.
 */
function layerGuard(files, above, message, extra) {
  const group = above.flatMap(layer => [`**/${layer}`, `**/${layer}/**`]);
  return {
    files: [files],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group, message }, ...extra] }]
    }
  };
}

export default tseslint.config(
  {
    ignores: [
      'lib/**',
      'lib-lab/**',
      'node_modules/**',
      '.venv/**',
      '.cache/**',
      'jupyterlab_nnmotifs/labextension/**',
      'ui-tests/test-results/**',
      'ui-tests/playwright-report/**',
      'examples/**',
      'coverage/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  // Layers: core <- figures <- render <- kernel <- cli; core, figures, render <- lab. An import may not reach a layer above
  // its own from any depth (`../kernel/x` from src/lab, `../../kernel/x` from src/lab/inspector, ...).
  layerGuard(
    'src/core/**/*.ts',
    ['figures', 'render', 'kernel', 'cli', 'lab'],
    'src/core imports nothing above it.',
    [
      {
        group: ['node:*', 'fs', 'path', 'os', 'worker_threads', 'child_process'],
        message: 'src/core must not use Node built-ins.'
      },
      { group: ['@tensorflow/*'], message: 'src/core must not depend on tfjs.' }
    ]
  ),
  layerGuard('src/figures/**/*.ts', ['render', 'kernel', 'cli', 'lab'], 'figures depends on core only.', [
    { group: ['node:*', '@tensorflow/*'], message: 'figures depends on core only.' }
  ]),
  // render draws figures for export (one pipeline for lab and kernel): it runs in a browser page.
  layerGuard('src/render/**/*.ts', ['kernel', 'cli', 'lab'], 'render depends on core and figures only.', [
    { group: ['node:*', '@tensorflow/*'], message: 'render depends on core and figures only.' }
  ]),
  layerGuard('src/kernel/**/*.ts', ['cli', 'lab'], 'kernel depends on core and figures only.', []),
  layerGuard('src/cli/**/*.ts', ['lab'], 'the CLI depends on core, figures and kernel only.', []),
  layerGuard('src/lab/**/*.ts', ['kernel', 'cli'], 'lab depends on core, figures and render only.', [
    { group: ['node:*', '@tensorflow/*'], message: 'lab depends on core, figures and render only.' }
  ]),
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable'
      }
    }
  },
  prettier
);
