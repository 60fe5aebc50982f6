import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // src/api must never talk to the terminal: it is a library; the CLI decides what to print.
      'no-console': 'off',
    },
  },
  {
    // The launcher is CommonJS on purpose (see the comment in it), and so is the undici entry the bundle uses.
    files: ['bin/**/*.js', 'scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/api/**/*.ts', 'src/mock/**/*.ts', 'src/vn/**/*.ts', 'src/batch/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/cli/**', '../cli/*'], message: 'src/api, mock, vn and batch never import the CLI.' }] }],
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Libraries return errors; only the CLI exits.' }],
    },
  },
);
