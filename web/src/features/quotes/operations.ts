import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const QuoteRowFragment = graphql(`
  fragment QuoteRow on Quote {
    id
    opportunityId
    version
    status
    currency
    total
    effectiveDiscount
    validUntil
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

export const QuotesQuery = parsed(graphql(`
  query Quotes($opportunityId: ID, $status: String, $after: String) {
    quotes(opportunityId: $opportunityId, status: $status, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...QuoteRow
        }
      }
    }
  }
`));

export const QuoteDetailFragment = graphql(`
  fragment QuoteDetail on Quote {
    ...QuoteRow
    discountPercent
    taxRate
    subtotal
    discountAmount
    taxAmount
    decisionComment
    submittedAt
    decidedAt
    orderId
    approver {
      id
      displayName
    }
    lines {
      position
      productId
      name
      quantity
      listPrice
      unitPrice
      discountPercent
      total
    }
  }
`);

export const QuoteQuery = parsed(graphql(`
  query Quote($id: ID!) {
    quote(id: $id) {
      ...QuoteDetail
      approval {
        ...ApprovalFields
      }
    }
  }
`));

export const QuoteBuilderQuery = parsed(graphql(`
  query QuoteBuilder($opportunityId: ID!) {
    opportunity(id: $opportunityId) {
      id
      name
      currency
      status
      account {
        id
        name
      }
    }
    products(active: true, first: 100) {
      edges {
        node {
          id
          code
          name
          unit
          listPrice
          currency
        }
      }
    }
    priceBooks {
      id
      name
      currency
      active
    }
  }
`));

export const CreateQuoteMutation = parsed(graphql(`
  mutation CreateQuote($input: CreateQuoteInput!) {
    createQuote(input: $input) {
      ...QuoteDetail
    }
  }
`));

export const SubmitQuoteMutation = parsed(graphql(`
  mutation SubmitQuote($id: ID!) {
    submitQuote(id: $id) {
      ...QuoteDetail
    }
  }
`));

export const AcceptQuoteMutation = parsed(graphql(`
  mutation AcceptQuote($id: ID!) {
    acceptQuote(id: $id) {
      quote {
        ...QuoteDetail
      }
      order {
        id
        number
      }
    }
  }
`));
