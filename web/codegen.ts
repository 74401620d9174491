// Typed operations from the gateway's public schema: a schema change that breaks an operation of
// the console fails `npm run codegen`, and one that changes a result's shape fails the type check.
import type { CodegenConfig } from '@graphql-codegen/cli';

const output = {
  preset: 'client',
  presetConfig: { fragmentMasking: false },
  config: {
    documentMode: 'string',
    useTypeImports: true,
    enumsAsTypes: true,
    scalars: { ID: 'string', DateTime: 'string', Date: 'string', JSON: 'unknown' },
  },
} as const;
const AUTH = 'src/features/auth/operations.ts';

// The sign-in operations get a module of their own: `graphql()` looks documents up in one map of
// every operation it was generated for, and the sign-in page's first load should not carry them all.
const config: CodegenConfig = {
  schema: '../gateway/schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': { ...output, documents: ['src/**/*.{ts,tsx}', '!src/gql/**', '!src/gql-auth/**', `!${AUTH}`] },
    'src/gql-auth/': { ...output, documents: [AUTH] },
  },
};

export default config;
