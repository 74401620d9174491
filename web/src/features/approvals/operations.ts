import { graphql } from '../../gql';
import { parsed } from '../../api/document';

/** What a screen shows of an approval: the subject's summary, its levels, and its history. */
export const ApprovalFields = graphql(`
  fragment ApprovalFields on Approval {
    id
    subjectKind
    subjectId
    title
    amount
    currency
    discount
    chainName
    status
    level
    levelCount
    comment
    requester {
      id
      displayName
    }
    currentApprovers {
      id
      displayName
    }
    levels {
      number
      name
      mode
      needed
      approvers {
        id
        displayName
      }
    }
    history {
      level
      action
      comment
      at
      actor {
        id
        displayName
      }
      onBehalfOf {
        id
        displayName
      }
    }
  }
`);

export const MyApprovalsQuery = parsed(graphql(`
  query MyApprovals {
    myApprovals {
      ...ApprovalFields
    }
  }
`));

export const ApproveMutation = parsed(graphql(`
  mutation Approve($id: ID!, $comment: String) {
    approve(id: $id, comment: $comment) {
      ...ApprovalFields
    }
  }
`));

export const RejectMutation = parsed(graphql(`
  mutation Reject($id: ID!, $comment: String!) {
    reject(id: $id, comment: $comment) {
      ...ApprovalFields
    }
  }
`));

export const ApprovalChainsQuery = parsed(graphql(`
  query ApprovalChains {
    approvalChains {
      id
      name
      subjectKind
      position
      active
      conditions
      levels
      updatedAt
    }
  }
`));

export const SaveApprovalChainMutation = parsed(graphql(`
  mutation SaveApprovalChain($id: ID, $input: ApprovalChainInput!) {
    saveApprovalChain(id: $id, input: $input) {
      id
      name
      subjectKind
      position
      active
      conditions
      levels
      updatedAt
    }
  }
`));
