import { graphql } from '../../gql';

export const OpportunityCardFragment = graphql(`
  fragment OpportunityCard on Opportunity {
    id
    name
    amount
    currency
    status
    expectedCloseDate
    stage {
      id
      name
    }
    account {
      id
      name
    }
    owner {
      id
      displayName
    }
  }
`);

export const OpportunitiesQuery = graphql(`
  query Opportunities($filter: OpportunityFilter, $first: Int! = 50) {
    opportunities(filter: $filter, first: $first) {
      totalCount
      edges {
        node {
          ...OpportunityCard
        }
      }
    }
  }
`);

export const PipelinesQuery = graphql(`
  query Pipelines {
    pipelines {
      id
      name
      isDefault
      stages {
        id
        name
        position
        probability
      }
    }
  }
`);

export const MoveOpportunityMutation = graphql(`
  mutation MoveOpportunity($id: ID!, $stageId: ID!) {
    moveOpportunity(id: $id, stageId: $stageId) {
      ...OpportunityCard
      probability
      stageEnteredAt
    }
  }
`);

export const OpportunityQuery = graphql(`
  query Opportunity($id: ID!) {
    opportunity(id: $id) {
      ...OpportunityCard
      description
      probability
      forecastCategory
      closeReason
      competitor
      closedAt
      source
      leadId
      stageEnteredAt
      createdAt
      stageHistory {
        stageId
        stageName
        enteredAt
        leftAt
        days
        actor {
          id
          displayName
        }
      }
      quotes {
        id
        version
        status
        currency
        total
        effectiveDiscount
        validUntil
        createdAt
        owner {
          id
          displayName
        }
      }
    }
  }
`);
