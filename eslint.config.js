// ESLint (flat config): typed-free rules that keep lib/ small and readable. Run by `npm test`.
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['build/**', 'dist/**', 'node_modules/**', 'coverage/**', '**/*.d.ts', 'test/**/fixtures/**', 'templates/**'] },
  {
    files: ['lib/**/*.ts', 'apps/**/*.ts', 'test/**/*.ts'],
    extends: [tseslint.configs.base],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-unreachable': 'error',
      'no-duplicate-imports': 'error',
      'no-new-func': 'error',
      'no-eval': 'error',
      'max-len': ['error', { code: 180, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreComments: false }],
    },
  },
);
