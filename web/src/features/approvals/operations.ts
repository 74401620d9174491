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

/** What the delegation card shows of one: to whom, and its window. */
export const ApprovalDelegationFields = graphql(`
  fragment ApprovalDelegationFields on ApprovalDelegation {
    id
    startsAt
    endsAt
    delegate {
      id
      displayName
    }
  }
`);

export const MyApprovalDelegationsQuery = parsed(graphql(`
  query MyApprovalDelegations {
    myApprovalDelegations {
      ...ApprovalDelegationFields
    }
  }
`));

export const DelegateApprovalsMutation = parsed(graphql(`
  mutation DelegateApprovals($toUserId: ID!, $until: DateTime!, $from: DateTime) {
    delegateApprovals(toUserId: $toUserId, until: $until, from: $from) {
      ...ApprovalDelegationFields
    }
  }
`));

export const EndApprovalDelegationMutation = parsed(graphql(`
  mutation EndApprovalDelegation($id: ID!) {
    endApprovalDelegation(id: $id) {
      ...ApprovalDelegationFields
    }
  }
`));
