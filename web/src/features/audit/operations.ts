import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const AuditLogQuery = parsed(graphql(`
  query AuditLog($filter: AuditFilterInput, $after: String) {
    auditLog(filter: $filter, first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          seq
          action
          entityType
          entityId
          changes
          detail
          at
          service
          requestId
          actor {
            id
            displayName
          }
        }
      }
    }
    auditIntegrity {
      valid
      checked
      firstBrokenSeq
    }
  }
`));

export const DeadLettersQuery = parsed(graphql(`
  query DeadLetters($topic: String, $after: String) {
    deadLetters(topic: $topic, first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          eventId
          type
          topic
          consumerGroup
          error
          attempts
          time
          subject
          deadLetteredAt
          replayedAt
          replayedBy {
            id
            displayName
          }
        }
      }
    }
  }
`));

export const ReplayDeadLettersMutation = parsed(graphql(`
  mutation ReplayDeadLetters($topic: String!, $eventIds: [String!]) {
    replayDeadLetters(topic: $topic, eventIds: $eventIds)
  }
`));
