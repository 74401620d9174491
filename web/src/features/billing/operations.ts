import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const ContractFieldsFragment = graphql(`
  fragment ContractFields on Contract {
    id
    number
    title
    value
    currency
    startDate
    endDate
    status
    opportunityId
    decisionComment
    signedOn
    terminationReason
    createdAt
    account {
      id
      name
    }
    owner {
      id
      displayName
    }
    approver {
      id
      displayName
    }
  }
`);

export const ContractsQuery = parsed(graphql(`
  query Contracts($accountId: ID, $status: String, $after: String) {
    contracts(accountId: $accountId, status: $status, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...ContractFields
        }
      }
    }
  }
`));

export const ContractQuery = parsed(graphql(`
  query Contract($id: ID!) {
    contract(id: $id) {
      ...ContractFields
      approval {
        ...ApprovalFields
      }
    }
  }
`));

export const CreateContractMutation = parsed(graphql(`
  mutation CreateContract($input: CreateContractInput!) {
    createContract(input: $input) {
      ...ContractFields
    }
  }
`));

export const SubmitContractMutation = parsed(graphql(`
  mutation SubmitContract($id: ID!) {
    submitContract(id: $id) {
      ...ContractFields
    }
  }
`));

export const SignContractMutation = parsed(graphql(`
  mutation SignContract($id: ID!, $signedOn: Date) {
    signContract(id: $id, signedOn: $signedOn) {
      ...ContractFields
    }
  }
`));

export const TerminateContractMutation = parsed(graphql(`
  mutation TerminateContract($id: ID!, $reason: String!) {
    terminateContract(id: $id, reason: $reason) {
      ...ContractFields
    }
  }
`));

export const OrderFieldsFragment = graphql(`
  fragment OrderFields on Order {
    id
    number
    status
    currency
    total
    invoiced
    opportunityId
    quoteId
    contractId
    cancelReason
    createdAt
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

export const OrdersQuery = parsed(graphql(`
  query Orders($accountId: ID, $status: String, $after: String) {
    orders(accountId: $accountId, status: $status, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...OrderFields
        }
      }
    }
  }
`));

export const OrderQuery = parsed(graphql(`
  query Order($id: ID!) {
    order(id: $id) {
      ...OrderFields
      lines {
        productId
        name
        quantity
        unitPrice
        discountPercent
        total
      }
    }
    invoices(orderId: $id, first: 50) {
      edges {
        node {
          ...InvoiceFields
        }
      }
    }
  }
`));

export const CreateOrderFromContractMutation = parsed(graphql(`
  mutation CreateOrderFromContract($contractId: ID!) {
    createOrderFromContract(contractId: $contractId) {
      ...OrderFields
    }
  }
`));

export const FulfillOrderMutation = parsed(graphql(`
  mutation FulfillOrder($id: ID!) {
    fulfillOrder(id: $id) {
      ...OrderFields
    }
  }
`));

export const CancelOrderMutation = parsed(graphql(`
  mutation CancelOrder($id: ID!, $reason: String!) {
    cancelOrder(id: $id, reason: $reason) {
      ...OrderFields
    }
  }
`));

export const InvoiceFieldsFragment = graphql(`
  fragment InvoiceFields on Invoice {
    id
    number
    orderId
    currency
    amount
    paid
    outstanding
    status
    issuedOn
    dueOn
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

export const InvoicesQuery = parsed(graphql(`
  query Invoices($accountId: ID, $orderId: ID, $status: String, $agingBucket: String, $after: String) {
    invoices(accountId: $accountId, orderId: $orderId, status: $status, agingBucket: $agingBucket, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...InvoiceFields
        }
      }
    }
  }
`));

/** A payment as an invoice's page lists it. */
export const PaymentRowFragment = graphql(`
  fragment PaymentRow on Payment {
    id
    amount
    currency
    receivedOn
    method
    reference
    createdAt
  }
`);

export const InvoiceQuery = parsed(graphql(`
  query Invoice($id: ID!) {
    invoice(id: $id) {
      ...InvoiceFields
      payments {
        ...PaymentRow
      }
    }
  }
`));

export const IssueInvoiceMutation = parsed(graphql(`
  mutation IssueInvoice($orderId: ID!, $amount: String, $dueOn: Date) {
    issueInvoice(orderId: $orderId, amount: $amount, dueOn: $dueOn) {
      ...InvoiceFields
    }
  }
`));

export const RecordPaymentMutation = parsed(graphql(`
  mutation RecordPayment($input: RecordPaymentInput!) {
    recordPayment(input: $input) {
      payment {
        id
      }
      invoice {
        ...InvoiceFields
        payments {
          ...PaymentRow
        }
      }
    }
  }
`));

export const PaymentsQuery = parsed(graphql(`
  query Payments($filter: PaymentFilter, $after: String) {
    payments(filter: $filter, first: 50, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...PaymentRow
          invoiceId
          invoiceNumber
          account {
            id
            name
          }
        }
      }
    }
  }
`));
