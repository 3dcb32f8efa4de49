// Lint: correctness rules of typescript-eslint, no import circle, and the layer rule of ARCHITECTURE.md
// (a folder of lib/ imports only from the folders below it).
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

/** The layers of lib/, lowest first. */
const LAYERS = [
  'core',
  'output',
  'pod',
  'validation',
  'synth',
  'rbac',
  'crd',
  'namespace',
  'monitoring',
  'workloads',
  'initializers',
  'review',
];

/** Each layer may not import from any layer above it. */
const zones = LAYERS.flatMap((layer, i) =>
  LAYERS.slice(i + 1).map((higher) => ({
    target: `./lib/${layer}`,
    from: `./lib/${higher}`,
    message: `lib/${layer} is below lib/${higher} (ARCHITECTURE.md): move the shared piece down, or the caller up.`,
  })),
);

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'node_modules/**', 'coverage/**', '.cdk8s-out/**', 'bench/out/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'import/extensions': ['.ts', '.js'],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off', // manifests are JSON; typed where the API is
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-empty-object-type': 'off', // jsii props interfaces may be empty
      '@typescript-eslint/no-non-null-assertion': 'off',
      'import/no-cycle': ['error', { ignoreExternal: true }],
      'import/no-restricted-paths': ['error', { zones }],
      'import/no-duplicates': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['lib/**/*.ts'],
    ignores: ['lib/review/cli.ts', 'lib/output/recover-cli.ts'],
    rules: {
      // the library reports through PatternError and Warnings, never the console
      'no-console': 'error',
    },
  },
  {
    // tests load fixtures, JSON and fresh module copies on purpose
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
