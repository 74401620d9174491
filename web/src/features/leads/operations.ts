import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const LeadsQuery = parsed(graphql(`
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
`));

export const LeadQuery = parsed(graphql(`
  query Lead($id: ID!) {
    lead(id: $id) {
      ...LeadDetail
    }
  }
`));

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
export const AssignLeadMutation = parsed(graphql(`
  mutation AssignLead($id: ID!, $ownerId: ID!) {
    assignLead(id: $id, ownerId: $ownerId) {
      ...LeadDetail
    }
  }
`));

export const QualifyLeadMutation = parsed(graphql(`
  mutation QualifyLead($id: ID!) {
    qualifyLead(id: $id) {
      ...LeadDetail
    }
  }
`));

export const DisqualifyLeadMutation = parsed(graphql(`
  mutation DisqualifyLead($id: ID!, $reason: String!) {
    disqualifyLead(id: $id, reason: $reason) {
      ...LeadDetail
    }
  }
`));

export const ConvertLeadMutation = parsed(graphql(`
  mutation ConvertLead($id: ID!) {
    convertLead(id: $id) {
      ...LeadDetail
    }
  }
`));

export const QuarantinedQuery = parsed(graphql(`
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
`));

export const RecoverSubmissionMutation = parsed(graphql(`
  mutation RecoverSubmission($id: ID!) {
    recoverSubmission(id: $id) {
      id
    }
  }
`));

export const DiscardSubmissionsMutation = parsed(graphql(`
  mutation DiscardSubmissions($ids: [ID!]!) {
    discardSubmissions(ids: $ids)
  }
`));

/** A lead taken by hand; assignment rules pick its owner. A duplicate open lead answers CONFLICT naming phone or
 * email unless `allowDuplicate`. */
export const CreateLeadMutation = parsed(graphql(`
  mutation CreateLead($input: CreateLeadInput!, $allowDuplicate: Boolean! = false) {
    createLead(input: $input, allowDuplicate: $allowDuplicate) {
      id
      owner {
        id
        displayName
      }
    }
  }
`));
