import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const CallFields = graphql(`
  fragment CallFields on Call {
    id
    direction
    number
    status
    startedAt
    durationSeconds
    recordingUrl
    contactId
    accountId
    taskId
  }
`);

export const CallsQuery = parsed(graphql(`
  query Calls($filter: CallFilter, $after: String) {
    calls(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...CallFields
        }
      }
    }
  }
`));

export const LinkCallMutation = parsed(graphql(`
  mutation LinkCall($id: ID!, $contactId: ID!) {
    linkCall(id: $id, contactId: $contactId) {
      ...CallFields
    }
  }
`));

export const ContactOptionsQuery = parsed(graphql(`
  query CallContactOptions($search: String!) {
    accounts(filter: { search: $search }, first: 10) {
      edges {
        node {
          id
          name
          contacts(first: 20) {
            edges {
              node {
                id
                name
                title
              }
            }
          }
        }
      }
    }
  }
`));

export const LoggedMailsQuery = parsed(graphql(`
  query LoggedMails($unmatchedOnly: Boolean!, $after: String) {
    myEmailLoggingAddress
    loggedMails(unmatchedOnly: $unmatchedOnly, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          subject
          sender
          recipients
          sentAt
          matched
        }
      }
    }
  }
`));

export const ConnectorStatusQuery = parsed(graphql(`
  query ConnectorStatus {
    connectorStatus {
      connector
      received
      applied
      unmatched
      failed
    }
  }
`));
