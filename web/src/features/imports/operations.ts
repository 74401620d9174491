import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const ImportJobFragment = graphql(`
  fragment ImportJobState on ImportJob {
    id
    status
    processedRows
    createdRows
    updatedRows
    skippedRows
    failedRows
    errors
    message
    finishedAt
  }
`);

export const ImportAccountsMutation = parsed(graphql(`
  mutation ImportAccounts($input: ImportAccountsInput!) {
    importAccounts(input: $input) {
      ...ImportJobState
    }
  }
`));

export const ImportContactsMutation = parsed(graphql(`
  mutation ImportContacts($input: ImportAccountsInput!) {
    importContacts(input: $input) {
      ...ImportJobState
    }
  }
`));

export const ImportJobQuery = parsed(graphql(`
  query ImportJob($id: ID!) {
    importJob(id: $id) {
      ...ImportJobState
    }
  }
`));
