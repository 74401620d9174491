/**
 * The console's operations are generated as plain strings (`documentMode: 'string'`), so the one
 * module holding every operation is text the browser scans quickly rather than thousands of syntax
 * tree objects it builds on every page load. A screen's operations are parsed when its module loads.
 */
import type { DocumentTypeDecoration, TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';

/** The operation as the document Apollo Client sends, keeping its result and variable types. */
export function parsed<Result, Variables>(source: DocumentTypeDecoration<Result, Variables>): TypedDocumentNode<Result, Variables> {
  return parse(source.toString(), { noLocation: true }) as TypedDocumentNode<Result, Variables>;
}
