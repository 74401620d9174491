import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const IntelligenceQuery = parsed(graphql(`
  query Intelligence($filter: IntelligenceFilter, $after: String) {
    intelligence(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        ...PageCursor
      }
      edges {
        node {
          ...IntelligenceFields
        }
      }
    }
  }

  fragment IntelligenceFields on IntelligenceEntry {
    id
    kind
    title
    body
    source
    links
    tags
    competitorId
    createdBy {
      id
      displayName
    }
    createdAt
  }
`));

export const CompetitorsQuery = parsed(graphql(`
  query Competitors($search: String) {
    competitors(search: $search) {
      ...CompetitorFields
    }
  }

  fragment CompetitorFields on Competitor {
    id
    name
    aliases
    website
    description
    strengths
    weaknesses
    account {
      id
      name
    }
    winLoss {
      won
      lost
      wonRevenue
      lostRevenue
      winRate
    }
  }
`));

export const SaveCompetitorMutation = parsed(graphql(`
  mutation SaveCompetitor($input: CompetitorInput!, $id: ID) {
    saveCompetitor(input: $input, id: $id) {
      ...CompetitorFields
    }
  }
`));

export const SaveIntelligenceMutation = parsed(graphql(`
  mutation SaveIntelligence($input: IntelligenceInput!, $id: ID) {
    saveIntelligence(input: $input, id: $id) {
      ...IntelligenceFields
    }
  }
`));
