import { graphql } from '../../gql';
import { parsed } from '../../api/document';

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

export const OpportunitiesQuery = parsed(graphql(`
  query Opportunities($filter: OpportunityFilter, $first: Int! = 20, $after: String) {
    opportunities(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...OpportunityCard
        }
      }
    }
  }
`));

/** A card on the board, with what a stage may require (see `missingFor`); the opportunity page reads it to reopen at a stage. */
export const BoardCardFragment = graphql(`
  fragment BoardCard on Opportunity {
    ...OpportunityCard
    contactId
    description
    lines {
      productId
    }
  }
`);

export const BoardQuery = parsed(graphql(`
  query Board($filter: OpportunityFilter, $first: Int! = 200) {
    opportunities(filter: $filter, first: $first) {
      totalCount
      edges {
        node {
          ...BoardCard
        }
      }
    }
  }
`));

export const PipelinesQuery = parsed(graphql(`
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
        requiredFields
      }
    }
  }
`));

export const MoveOpportunityMutation = parsed(graphql(`
  mutation MoveOpportunity($id: ID!, $stageId: ID!, $input: UpdateOpportunityInput, $lines: [LineItemInput!]) {
    moveOpportunity(id: $id, stageId: $stageId, input: $input, lines: $lines) {
      ...BoardCard
      probability
      stageEnteredAt
    }
  }
`));

/** What the dialog offers for a stage's required contact and products. */
export const StageChoicesQuery = parsed(graphql(`
  query StageChoices($accountId: ID!, $contacts: Boolean!, $products: Boolean!) {
    contacts(accountId: $accountId, first: 100) @include(if: $contacts) {
      edges {
        node {
          id
          name
          title
        }
      }
    }
    products(active: true, first: 100) @include(if: $products) {
      edges {
        node {
          id
          code
          name
          unit
          currency
        }
      }
    }
  }
`));

export const OpportunityQuery = parsed(graphql(`
  query Opportunity($id: ID!) {
    opportunity(id: $id) {
      ...BoardCard
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
`));

/** What the opportunity page shows and its dialogs edit; answered by each mutation, so the page updates. */
export const OpportunityEditedFragment = graphql(`
  fragment OpportunityEdited on Opportunity {
    ...OpportunityCard
    description
    probability
    forecastCategory
    closeReason
    competitor
    closedAt
    contactId
    stageEnteredAt
    updatedAt
  }
`);

export const CreateOpportunityMutation = parsed(graphql(`
  mutation CreateOpportunity($input: CreateOpportunityInput!) {
    createOpportunity(input: $input) {
      id
    }
  }
`));

export const UpdateOpportunityMutation = parsed(graphql(`
  mutation UpdateOpportunity($id: ID!, $input: UpdateOpportunityInput!) {
    updateOpportunity(id: $id, input: $input) {
      ...OpportunityEdited
    }
  }
`));

export const CloseOpportunityMutation = parsed(graphql(`
  mutation CloseOpportunity($id: ID!, $won: Boolean!, $reason: String!, $competitor: String) {
    closeOpportunity(id: $id, won: $won, reason: $reason, competitor: $competitor) {
      ...OpportunityEdited
    }
  }
`));

export const ReopenOpportunityMutation = parsed(graphql(`
  mutation ReopenOpportunity($id: ID!, $stageId: ID) {
    reopenOpportunity(id: $id, stageId: $stageId) {
      ...OpportunityEdited
    }
  }
`));

/** Accounts the caller sees, by part of their name, for the new opportunity's account picker. */
export const OpportunityAccountOptionsQuery = parsed(graphql(`
  query OpportunityAccountOptions($search: String) {
    accounts(filter: { search: $search }, first: 20) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`));

/** The chosen account's contacts (the API refuses a contact of another account). */
export const OpportunityContactOptionsQuery = parsed(graphql(`
  query OpportunityContactOptions($accountId: ID!) {
    contacts(accountId: $accountId, first: 100) {
      edges {
        node {
          id
          name
          title
        }
      }
    }
  }
`));

/** Campaigns to credit, for those who may read them. */
export const OpportunityCampaignOptionsQuery = parsed(graphql(`
  query OpportunityCampaignOptions($search: String) {
    campaigns(filter: { search: $search }, first: 20) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`));
