import { graphql } from '../../gql';

export const AuditLogQuery = graphql(`
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
`);

export const DeadLettersQuery = graphql(`
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
`);

export const ReplayDeadLettersMutation = graphql(`
  mutation ReplayDeadLetters($topic: String!, $eventIds: [String!]) {
    replayDeadLetters(topic: $topic, eventIds: $eventIds)
  }
`);
