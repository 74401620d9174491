import { graphql } from '../../gql';
import { parsed } from '../../api/document';

// One query per dashboard card, so that a field that fails (a service down, a figure refused) empties
// only its own card: every field here is non-null, and one error would null the whole answer.

export const RepTodayQuery = parsed(graphql(`
  query RepToday($today: TaskFilter!) {
    today: tasks(filter: $today, first: 50) {
      totalCount
      edges {
        node {
          ...TaskItem
        }
      }
    }
  }
`));

export const RepOverdueQuery = parsed(graphql(`
  query RepOverdue {
    overdueTasks {
      id
      title
      dueAt
      accountId
    }
  }
`));

export const RepActivitiesQuery = parsed(graphql(`
  query RepActivities {
    recentActivities(first: 8) {
      edges {
        node {
          id
          kind
          subject
          occurredAt
          owner {
            id
            displayName
          }
          account {
            id
            name
          }
        }
      }
    }
  }
`));

export const RepPipelineQuery = parsed(graphql(`
  query RepPipeline($me: ID!) {
    openPipeline(ownerId: $me) {
      stage {
        id
        name
      }
      count
      amountBase
    }
  }
`));

export const RepTargetQuery = parsed(graphql(`
  query RepTarget($me: ID!, $month: String!) {
    targets(period: $month, userId: $me) {
      id
      metric
      amount
      actual
      attainment
    }
  }
`));

export const ManagerFunnelQuery = parsed(graphql(`
  query ManagerFunnel {
    funnel {
      currency
      winRate
      stages {
        id
        name
        count
        conversionRate
      }
    }
  }
`));

export const ManagerForecastQuery = parsed(graphql(`
  query ManagerForecast($quarter: String!) {
    forecast(period: $quarter) {
      period
      currency
      closedWon
      commit
      weighted
      bestCase
      history {
        period
        amount
      }
    }
  }
`));

export const ManagerRankingQuery = parsed(graphql(`
  query ManagerRanking($month: String!) {
    targets(period: $month) {
      id
      metric
      amount
      actual
      attainment
      rank
      user {
        id
        displayName
      }
    }
  }
`));

export const ManagerAgingQuery = parsed(graphql(`
  query ManagerAging {
    receivablesAging {
      currency
      total
      buckets {
        label
        amount
        count
      }
    }
  }
`));

export const AdminUsersCountQuery = parsed(graphql(`
  query AdminUsersCount {
    users(first: 1) {
      totalCount
    }
    active: users(first: 1, filter: { isActive: true }) {
      totalCount
    }
  }
`));

export const AuditIntegrityQuery = parsed(graphql(`
  query AuditIntegrity {
    auditIntegrity {
      valid
      checked
      firstBrokenSeq
    }
  }
`));

export const SecurityEventsQuery = parsed(graphql(`
  query SecurityEvents {
    failedLogins: auditLog(first: 10, filter: { action: "auth.login_failed" }) {
      edges {
        node {
          ...SecurityEvent
        }
      }
    }
    lockouts: auditLog(first: 10, filter: { action: "auth.locked" }) {
      edges {
        node {
          ...SecurityEvent
        }
      }
    }
  }

  fragment SecurityEvent on AuditEntry {
    seq
    action
    entityId
    at
    actor {
      id
      displayName
    }
  }
`));
