import { graphql } from '../../gql';

export const AccountsQuery = graphql(`
  query Accounts($filter: AccountFilter, $after: String) {
    accounts(filter: $filter, first: 20, after: $after) {
      totalCount
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
`);

export const AccountQuery = graphql(`
  query Account($id: ID!) {
    account(id: $id) {
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
      lifecycleStage
      inPool
      owner {
        id
        displayName
      }
      contacts(first: 50) {
        edges {
          node {
            id
            name
            title
            phone
            email
          }
        }
      }
      activities(first: 20) {
        edges {
          node {
            id
            kind
            subject
            content
            occurredAt
            owner {
              id
              displayName
            }
          }
        }
      }
      opportunities(first: 20) {
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
      receivables {
        outstanding
        overdue
        currency
      }
    }
  }
`);

export const OverdueTasksQuery = graphql(`
  query OverdueTasks {
    overdueTasks {
      id
      title
      dueAt
      accountId
      assignee {
        id
        displayName
      }
    }
  }
`);

export const CreateAccountMutation = graphql(`
  mutation CreateAccount($input: CreateAccountInput!) {
    createAccount(input: $input) {
      id
      name
    }
  }
`);

export const UpdateAccountMutation = graphql(`
  mutation UpdateAccount($id: ID!, $input: UpdateAccountInput!) {
    updateAccount(id: $id, input: $input) {
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
  }
`);
