import { graphql } from '../../gql';
import { parsed } from '../../api/document';
import { can } from '../../api/session';

export const AccountsQuery = parsed(graphql(`
  query Accounts($filter: AccountFilter, $orderBy: AccountOrder! = UPDATED_DESC, $after: String) {
    accounts(filter: $filter, orderBy: $orderBy, first: 20, after: $after) {
      totalCount
      totalCountIsExact
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          industry
          province
          city
          level
          tags
          inPool
          lifecycleStage
          updatedAt
          owner {
            id
            displayName
          }
        }
      }
    }
  }
`));

/** What the account form edits: read by the account's page, answered by an update. */
export const AccountEditableFragment = graphql(`
  fragment AccountEditable on Account {
    id
    name
    industry
    size
    province
    city
    address
    website
    level
    source
    tags
    phone
    email
  }
`);

/** Who holds an account: what a transfer, a release or a claim changes. */
export const AccountOwnershipFragment = graphql(`
  fragment AccountOwnership on Account {
    id
    inPool
    owner {
      id
      displayName
    }
  }
`);

/** A contact as Account 360's contacts tab shows and edits it. */
export const ContactRowFragment = graphql(`
  fragment ContactRow on Contact {
    id
    name
    title
    role
    phone
    email
  }
`);

/** Account 360's variables: the account and the sections the signed-in caller may read. */
export function accountVariables(id: string) {
  return {
    id,
    withContacts: can('customer:contact:read'),
    withActivities: can('customer:activity:read'),
    withTasks: can('customer:task:read'),
    withOpportunities: can('sales:opportunity:read'),
    withReceivables: can('sales:invoice:read'),
    withSales: can('sales:opportunity:read') || can('sales:invoice:read'),
  };
}

/** What sales adds to Account 360, asked for under one condition (see `AccountQuery`). */
export const AccountSalesFragment = graphql(`
  fragment AccountSales on Account {
    opportunities(first: 20) @include(if: $withOpportunities) {
      edges {
        node {
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
        }
      }
    }
    receivables @include(if: $withReceivables) {
      outstanding
      overdue
      currency
    }
  }
`);

/**
 * Account 360. Each section another service or permission guards is asked for only when the caller may read
 * it (see `accountVariables`): a FORBIDDEN section would otherwise take the whole account with it. Sales'
 * two sections sit under one condition too: the gateway leaves out a fetch under a single false condition,
 * not one whose fields each have their own.
 */
export const AccountQuery = parsed(graphql(`
  query Account(
    $id: ID!
    $withContacts: Boolean! = false
    $withActivities: Boolean! = false
    $withTasks: Boolean! = false
    $withOpportunities: Boolean! = false
    $withReceivables: Boolean! = false
    $withSales: Boolean! = false
  ) {
    account(id: $id) {
      ...AccountEditable
      lifecycleStage
      inPool
      owner {
        id
        displayName
      }
      contacts(first: 50) @include(if: $withContacts) {
        edges {
          node {
            ...ContactRow
          }
        }
      }
      activities(first: 20) @include(if: $withActivities) {
        edges {
          node {
            id
            kind
            subject
            content
            occurredAt
            link
            durationSeconds
            owner {
              id
              displayName
            }
          }
        }
      }
      tasks(status: null, first: 50) @include(if: $withTasks) {
        totalCount
        edges {
          node {
            ...TaskItem
          }
        }
      }
      lifecycleHistory {
        fromStage
        toStage
        reason
        automatic
        at
        actor {
          id
          displayName
        }
      }
      ...AccountSales @include(if: $withSales)
    }
  }
`));

export const CreateContactMutation = parsed(graphql(`
  mutation CreateContact($input: ContactFields!) {
    createContact(input: $input) {
      ...ContactRow
    }
  }
`));

export const UpdateContactMutation = parsed(graphql(`
  mutation UpdateContact($id: ID!, $input: ContactFields!) {
    updateContact(id: $id, input: $input) {
      ...ContactRow
    }
  }
`));

export const DeleteContactMutation = parsed(graphql(`
  mutation DeleteContact($id: ID!) {
    deleteContact(id: $id)
  }
`));

/** A likely duplicate (the same name, phone or email) answers CONFLICT unless `allowDuplicate`. */
export const CreateAccountMutation = parsed(graphql(`
  mutation CreateAccount($input: CreateAccountInput!, $allowDuplicate: Boolean! = false) {
    createAccount(input: $input, allowDuplicate: $allowDuplicate) {
      id
      name
    }
  }
`));

export const UpdateAccountMutation = parsed(graphql(`
  mutation UpdateAccount($id: ID!, $input: UpdateAccountInput!) {
    updateAccount(id: $id, input: $input) {
      ...AccountEditable
    }
  }
`));

export const AccountCustomFieldsQuery = parsed(graphql(`
  query AccountCustomFields {
    customFields(entity: "account") {
      key
      label
      labelZh
      type
      options
    }
  }
`));

export const SavedViewsQuery = parsed(graphql(`
  query SavedViews {
    savedViews(list: "accounts") {
      id
      name
      filter
      orderBy
      shared
      owner {
        id
      }
    }
  }
`));

export const SaveViewMutation = parsed(graphql(`
  mutation SaveView($input: SaveViewInput!) {
    saveView(input: $input) {
      id
      name
      filter
      orderBy
      shared
      owner {
        id
      }
    }
  }
`));

export const DeleteViewMutation = parsed(graphql(`
  mutation DeleteView($id: ID!) {
    deleteView(id: $id)
  }
`));

export const TransferAccountsMutation = parsed(graphql(`
  mutation TransferAccounts($ids: [ID!]!, $to: ID!, $reason: String!) {
    transferAccounts(accountIds: $ids, toUserId: $to, reason: $reason) {
      ...AccountOwnership
    }
  }
`));

export const ReleaseToPoolMutation = parsed(graphql(`
  mutation ReleaseToPool($id: ID!, $reason: String!) {
    releaseToPool(id: $id, reason: $reason) {
      ...AccountOwnership
    }
  }
`));

export const ClaimFromPoolMutation = parsed(graphql(`
  mutation ClaimFromPool($id: ID!) {
    claimFromPool(id: $id) {
      ...AccountOwnership
    }
  }
`));

export const ExportAccountsMutation = parsed(graphql(`
  mutation ExportAccounts($filter: AccountFilter, $format: String!) {
    exportAccounts(filter: $filter, format: $format) {
      fileName
      contentType
      contentBase64
      rowCount
    }
  }
`));

export const MergeCandidatesQuery = parsed(graphql(`
  query MergeCandidates($a: ID!, $b: ID!) {
    a: account(id: $a) {
      ...MergeFields
    }
    b: account(id: $b) {
      ...MergeFields
    }
  }

  fragment MergeFields on Account {
    id
    name
    industry
    size
    province
    city
    address
    website
    level
    source
    phone
    email
    tags
    updatedAt
    owner {
      id
      displayName
    }
  }
`));

export const MergeAccountsMutation = parsed(graphql(`
  mutation MergeAccounts($target: ID!, $source: ID!, $keep: [String!]!) {
    mergeAccounts(targetId: $target, sourceId: $source, keepFromSource: $keep) {
      id
      name
    }
  }
`));

export const AccountNetworkQuery = parsed(graphql(`
  query AccountNetwork($id: ID!) {
    accountNetwork(id: $id, depth: 2) {
      depth
      path
      relations
      account {
        id
        name
      }
    }
  }
`));

export const LogActivityMutation = parsed(graphql(`
  mutation LogActivity($input: LogActivityInput!) {
    logActivity(input: $input) {
      id
      kind
      subject
      content
      occurredAt
      accountId
    }
  }
`));

export const StartCallMutation = parsed(graphql(`
  mutation StartCall($contactId: ID!) {
    startCall(contactId: $contactId) {
      id
      callId
      status
    }
  }
`));
