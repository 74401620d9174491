import { graphql } from '../../gql';

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

export const ImportAccountsMutation = graphql(`
  mutation ImportAccounts($input: ImportAccountsInput!) {
    importAccounts(input: $input) {
      ...ImportJobState
    }
  }
`);

export const ImportContactsMutation = graphql(`
  mutation ImportContacts($input: ImportAccountsInput!) {
    importContacts(input: $input) {
      ...ImportJobState
    }
  }
`);

export const ImportJobQuery = graphql(`
  query ImportJob($id: ID!) {
    importJob(id: $id) {
      ...ImportJobState
    }
  }
`);
