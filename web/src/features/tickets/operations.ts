import { graphql } from '../../gql';

export const TicketRowFragment = graphql(`
  fragment TicketRow on Ticket {
    id
    number
    subject
    status
    priority
    type
    teamId
    createdAt
    account {
      id
      name
    }
    assignee {
      id
      displayName
    }
    slaClocks {
      kind
      cycle
      state
      targetMinutes
      remainingMinutes
      dueAt
      stoppedAt
    }
  }
`);

export const TicketsQuery = graphql(`
  query Tickets($filter: TicketFilter, $orderBy: TicketOrder!, $after: String, $first: Int! = 20) {
    tickets(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      totalCountIsExact
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...TicketRow
        }
      }
    }
  }
`);

export const ServiceTeamsQuery = graphql(`
  query TeamsAndAgents {
    serviceTeams {
      id
      name
      members {
        user {
          id
          displayName
        }
      }
    }
  }
`);

export const TicketDetailFragment = graphql(`
  fragment TicketDetail on Ticket {
    ...TicketRow
    description
    unknownSender
    contactId
    productId
    channel
    tags
    rootCause
    resolution
    review
    reviewedBy {
      id
      displayName
    }
    escalationLevel
    escalatedTo {
      id
      displayName
    }
    resolvedAt
    entries {
      id
      public
      fromCustomer
      body
      at
      mailStatus
      author {
        id
        displayName
      }
      attachments {
        id
        filename
        size
        downloadUrl
      }
    }
    articles {
      id
      title
    }
    history {
      fromStatus
      toStatus
      reason
      at
      actor {
        id
        displayName
      }
    }
  }
`);

export const TicketQuery = graphql(`
  query Ticket($id: ID!) {
    ticket(id: $id) {
      ...TicketDetail
    }
  }
`);

/** Apart from the ticket: a contact out of the caller's reach must not hide the ticket. */
export const ContactNameQuery = graphql(`
  query TicketContact($id: ID!) {
    contact(id: $id) {
      id
      name
    }
  }
`);

export const MacrosQuery = graphql(`
  query Macros {
    macros {
      id
      name
    }
  }
`);

export const RenderMacroQuery = graphql(`
  query RenderMacro($id: ID!, $ticketId: ID!) {
    renderMacro(id: $id, ticketId: $ticketId)
  }
`);

export const SuggestArticlesQuery = graphql(`
  query SuggestArticles($subject: String!) {
    suggestArticles(subject: $subject, first: 5) {
      id
      title
      body
    }
  }
`);

export const AccountOptionsQuery = graphql(`
  query TicketAccountOptions($search: String) {
    accounts(filter: { search: $search }, first: 20) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

export const AccountForTicketQuery = graphql(`
  query AccountForTicket($id: ID!) {
    account(id: $id) {
      id
      contacts(first: 100) {
        edges {
          node {
            id
            name
          }
        }
      }
      installedBase {
        orderNumber
        productId
        name
        inWarranty
      }
    }
  }
`);

export const CreateTicketMutation = graphql(`
  mutation CreateTicket($input: CreateTicketInput!) {
    createTicket(input: $input) {
      id
    }
  }
`);

export const UpdateTicketMutation = graphql(`
  mutation UpdateTicket($id: ID!, $input: UpdateTicketInput!) {
    updateTicket(id: $id, input: $input) {
      ...TicketDetail
    }
  }
`);

export const AssignTicketMutation = graphql(`
  mutation AssignTicket($id: ID!, $teamId: ID, $assigneeId: ID) {
    assignTicket(id: $id, teamId: $teamId, assigneeId: $assigneeId) {
      ...TicketDetail
    }
  }
`);

export const ReplyMutation = graphql(`
  mutation ReplyToTicket($id: ID!, $body: String, $attachments: [AttachmentInput!]) {
    replyToTicket(id: $id, body: $body, attachments: $attachments) {
      id
    }
  }
`);

export const NoteMutation = graphql(`
  mutation AddTicketNote($id: ID!, $body: String!) {
    addTicketNote(id: $id, body: $body) {
      id
    }
  }
`);

export const ChangeStatusMutation = graphql(`
  mutation ChangeTicketStatus($id: ID!, $status: TicketStatus!, $reason: String) {
    changeTicketStatus(id: $id, status: $status, reason: $reason) {
      ...TicketDetail
    }
  }
`);

export const ReviewMutation = graphql(`
  mutation ReviewComplaint($id: ID!, $approve: Boolean!, $comment: String) {
    reviewComplaint(id: $id, approve: $approve, comment: $comment) {
      ...TicketDetail
    }
  }
`);

export const LinkArticleMutation = graphql(`
  mutation LinkArticle($ticketId: ID!, $articleId: ID!) {
    linkArticle(ticketId: $ticketId, articleId: $articleId) {
      ...TicketDetail
    }
  }
`);
