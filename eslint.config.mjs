import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

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
  {
    // core is pure TypeScript on typed arrays: it runs in the kernel, the browser and workers.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'worker_threads', 'child_process'],
              message: 'src/core must not use Node built-ins.'
            },
            { group: ['@tensorflow/*'], message: 'src/core must not depend on tfjs.' },
            {
              group: ['../figures/*', '../render/*', '../kernel/*', '../cli/*', '../lab/*'],
              message: 'src/core imports nothing above it.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/figures/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../render/*', '../kernel/*', '../cli/*', '../lab/*', 'node:*', '@tensorflow/*'],
              message: 'figures depends on core only.'
            }
          ]
        }
      ]
    }
  },
  {
    // render draws figures for export (one pipeline for lab and kernel): it runs in a browser page.
    files: ['src/render/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '../kernel/*',
                '../cli/*',
                '../lab/*',
                '../../kernel/*',
                '../../cli/*',
                '../../lab/*',
                'node:*',
                '@tensorflow/*'
              ],
              message: 'render depends on core and figures only.'
            }
          ]
        }
      ]
    }
  },
  {
    files: ['src/lab/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../kernel/*', '../cli/*', 'node:*', '@tensorflow/*'],
              message: 'lab depends on core, figures and render only.'
            }
          ]
        }
      ]
    }
  },
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
