import { graphql } from '../../gql';
import { parsed } from '../../api/document';

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

export const TicketsQuery = parsed(graphql(`
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
`));

export const ServiceTeamsQuery = parsed(graphql(`
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
`));

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

export const TicketQuery = parsed(graphql(`
  query Ticket($id: ID!) {
    ticket(id: $id) {
      ...TicketDetail
    }
  }
`));

/** Apart from the ticket: a contact out of the caller's reach must not hide the ticket. */
export const ContactNameQuery = parsed(graphql(`
  query TicketContact($id: ID!) {
    contact(id: $id) {
      id
      name
    }
  }
`));

export const MacrosQuery = parsed(graphql(`
  query Macros {
    macros {
      id
      name
    }
  }
`));

export const RenderMacroQuery = parsed(graphql(`
  query RenderMacro($id: ID!, $ticketId: ID!) {
    renderMacro(id: $id, ticketId: $ticketId)
  }
`));

export const SuggestArticlesQuery = parsed(graphql(`
  query SuggestArticles($subject: String!) {
    suggestArticles(subject: $subject, first: 5) {
      id
      title
      body
    }
  }
`));

export const AccountOptionsQuery = parsed(graphql(`
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
`));

export const AccountForTicketQuery = parsed(graphql(`
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
`));

export const CreateTicketMutation = parsed(graphql(`
  mutation CreateTicket($input: CreateTicketInput!) {
    createTicket(input: $input) {
      id
    }
  }
`));

export const UpdateTicketMutation = parsed(graphql(`
  mutation UpdateTicket($id: ID!, $input: UpdateTicketInput!) {
    updateTicket(id: $id, input: $input) {
      ...TicketDetail
    }
  }
`));

export const AssignTicketMutation = parsed(graphql(`
  mutation AssignTicket($id: ID!, $teamId: ID, $assigneeId: ID) {
    assignTicket(id: $id, teamId: $teamId, assigneeId: $assigneeId) {
      ...TicketDetail
    }
  }
`));

export const ReplyMutation = parsed(graphql(`
  mutation ReplyToTicket($id: ID!, $body: String, $attachments: [AttachmentInput!]) {
    replyToTicket(id: $id, body: $body, attachments: $attachments) {
      id
    }
  }
`));

export const NoteMutation = parsed(graphql(`
  mutation AddTicketNote($id: ID!, $body: String!) {
    addTicketNote(id: $id, body: $body) {
      id
    }
  }
`));

export const ChangeStatusMutation = parsed(graphql(`
  mutation ChangeTicketStatus($id: ID!, $status: TicketStatus!, $reason: String) {
    changeTicketStatus(id: $id, status: $status, reason: $reason) {
      ...TicketDetail
    }
  }
`));

export const ReviewMutation = parsed(graphql(`
  mutation ReviewComplaint($id: ID!, $approve: Boolean!, $comment: String) {
    reviewComplaint(id: $id, approve: $approve, comment: $comment) {
      ...TicketDetail
    }
  }
`));

export const LinkArticleMutation = parsed(graphql(`
  mutation LinkArticle($ticketId: ID!, $articleId: ID!) {
    linkArticle(ticketId: $ticketId, articleId: $articleId) {
      ...TicketDetail
    }
  }
`));
