import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const FunnelQuery = parsed(graphql(`
  query FunnelReport($filter: FunnelFilter) {
    funnel(filter: $filter) {
      currency
      total
      open
      won
      lost
      winRate
      averageDealSize
      averageCycleDays
      salesVelocity
      stages {
        id
        name
        count
        conversionRate
        averageDaysInStage
      }
    }
  }
`));

export const ForecastQuery = parsed(graphql(`
  query ForecastReport($period: String!, $ownerId: ID) {
    forecast(period: $period, ownerId: $ownerId) {
      period
      currency
      closedWon
      commit
      weighted
      bestCase
      pipeline
      openCount
      trend
      history {
        period
        amount
      }
      accuracy {
        period
        forecast
        actual
        accuracy
      }
    }
  }
`));

export const TargetsQuery = parsed(graphql(`
  query TargetsReport($period: String!) {
    targets(period: $period) {
      id
      period
      metric
      amount
      actual
      attainment
      rank
      unitId
      user {
        id
        displayName
      }
    }
  }
`));

export const SetTargetMutation = parsed(graphql(`
  mutation SetTarget($period: String!, $metric: String!, $amount: String!, $userId: ID) {
    setTarget(period: $period, metric: $metric, amount: $amount, userId: $userId) {
      id
      period
      metric
      amount
      actual
      attainment
      rank
      unitId
      user {
        id
        displayName
      }
    }
  }
`));
