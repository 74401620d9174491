import { graphql } from '../../gql';

export const LeadsQuery = graphql(`
  query Leads($filter: LeadFilter, $after: String) {
    leads(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          company
          contactName
          source
          status
          score
          conversionStatus
          createdAt
          owner {
            id
            displayName
          }
        }
      }
    }
  }
`);

export const LeadQuery = graphql(`
  query Lead($id: ID!) {
    lead(id: $id) {
      ...LeadDetail
    }
  }
`);

export const LeadDetailFragment = graphql(`
  fragment LeadDetail on Lead {
    id
    company
    contactName
    title
    industry
    province
    city
    source
    notes
    phone
    email
    status
    disqualifyReason
    score
    activityCount
    assignedAt
    conversionStatus
    conversionError
    convertedAt
    createdAt
    owner {
      id
      displayName
    }
    account {
      id
      name
    }
    opportunity {
      id
      name
    }
  }
`);

/** Who may be picked as an owner: the users the caller sees; the API still decides per lead. */
export const AssignLeadMutation = graphql(`
  mutation AssignLead($id: ID!, $ownerId: ID!) {
    assignLead(id: $id, ownerId: $ownerId) {
      ...LeadDetail
    }
  }
`);

export const QualifyLeadMutation = graphql(`
  mutation QualifyLead($id: ID!) {
    qualifyLead(id: $id) {
      ...LeadDetail
    }
  }
`);

export const DisqualifyLeadMutation = graphql(`
  mutation DisqualifyLead($id: ID!, $reason: String!) {
    disqualifyLead(id: $id, reason: $reason) {
      ...LeadDetail
    }
  }
`);

export const ConvertLeadMutation = graphql(`
  mutation ConvertLead($id: ID!) {
    convertLead(id: $id) {
      ...LeadDetail
    }
  }
`);

export const QuarantinedQuery = graphql(`
  query Quarantined($after: String) {
    quarantinedSubmissions(first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          company
          contactName
          phone
          email
          message
          reason
          receivedAt
        }
      }
    }
  }
`);

export const RecoverSubmissionMutation = graphql(`
  mutation RecoverSubmission($id: ID!) {
    recoverSubmission(id: $id) {
      id
    }
  }
`);

export const DiscardSubmissionsMutation = graphql(`
  mutation DiscardSubmissions($ids: [ID!]!) {
    discardSubmissions(ids: $ids)
  }
`);
