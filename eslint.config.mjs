import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'data/',
      'coverage/',
      'test/generated/',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The domain stands on its own: only the HTTP layer, bootstrap and CLIs may reach the API.
    files: [
      'src/{auth,carriers,config,core,db,entities,loaders,notifications,pubsub,services,webhooks,workers}/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'type-graphql', message: 'The domain does not know GraphQL types.' }],
          patterns: [
            {
              regex: '^(\\.{1,2}/)+(.*/)?graphql(/.*)?$',
              message: 'src/graphql sits on top of the domain; move what you need into src/core.',
            },
          ],
        },
      ],
    },
  },
);
