import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const RepDashboardQuery = parsed(graphql(`
  query RepDashboard($me: ID!, $month: String!, $today: TaskFilter!) {
    today: tasks(filter: $today, first: 50) {
      totalCount
      edges {
        node {
          ...TaskItem
        }
      }
    }
    overdueTasks {
      id
      title
      dueAt
      accountId
    }
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
    openPipeline(ownerId: $me) {
      stage {
        id
        name
      }
      count
      amountBase
    }
    targets(period: $month, userId: $me) {
      id
      metric
      amount
      actual
      attainment
    }
  }
`));

export const ManagerDashboardQuery = parsed(graphql(`
  query ManagerDashboard($month: String!, $quarter: String!) {
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

export const AdminDashboardQuery = parsed(graphql(`
  query AdminDashboard {
    users(first: 1) {
      totalCount
    }
    active: users(first: 1, filter: { isActive: true }) {
      totalCount
    }
    auditIntegrity {
      valid
      checked
      firstBrokenSeq
    }
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
