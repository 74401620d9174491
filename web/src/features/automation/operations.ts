import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const WorkflowsQuery = parsed(graphql(`
  query Workflows {
    workflows {
      id
      name
      status
      version
      updatedAt
    }
  }
`));

export const WorkflowQuery = parsed(graphql(`
  query Workflow($id: ID!) {
    workflow(id: $id) {
      id
      name
      description
      status
      version
      draft
      updatedAt
    }
    workflowTriggerTopics
  }
`));

export const TriggerTopicsQuery = parsed(graphql(`
  query WorkflowTriggerTopics {
    workflowTriggerTopics
  }
`));

export const WebhookEventTypesQuery = parsed(graphql(`
  query WebhookEventTypes {
    webhookEventTypes
  }
`));

export const SaveWorkflowMutation = parsed(graphql(`
  mutation SaveWorkflow($input: WorkflowInput!, $id: ID) {
    saveWorkflow(input: $input, id: $id) {
      id
      name
      description
      status
      version
      draft
      updatedAt
    }
  }
`));

export const PublishWorkflowMutation = parsed(graphql(`
  mutation PublishWorkflow($id: ID!) {
    publishWorkflow(id: $id) {
      id
      status
      version
    }
  }
`));

export const TestWorkflowQuery = parsed(graphql(`
  query TestWorkflow($id: ID!, $sample: JSON!) {
    testWorkflow(id: $id, sampleEvent: $sample) {
      matched
      conditions {
        field
        op
        actual
        matched
      }
      steps {
        stepId
        action
        would
        error
      }
    }
  }
`));

export const WorkflowRunsQuery = parsed(graphql(`
  query WorkflowRuns($filter: WorkflowRunFilter, $after: String) {
    workflowRuns(filter: $filter, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          workflowId
          version
          status
          subject
          topic
          eventType
          currentStep
          error
          startedAt
          finishedAt
          steps {
            stepId
            action
            status
            result
            error
            attempts
            startedAt
            finishedAt
          }
        }
      }
    }
  }
`));

export const NotificationFields = graphql(`
  fragment NotificationFields on Notification {
    id
    kind
    title
    body
    link
    read
    createdAt
  }
`);

export const BellQuery = parsed(graphql(`
  query NotificationBell {
    unreadNotificationCount
    notifications(first: 8) {
      edges {
        node {
          ...NotificationFields
        }
      }
    }
  }
`));

export const NotificationsQuery = parsed(graphql(`
  query Notifications($unreadOnly: Boolean!, $after: String) {
    notifications(unreadOnly: $unreadOnly, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...NotificationFields
        }
      }
    }
    notificationPreferences {
      kind
      inApp
      email
      digest
    }
  }
`));

export const MarkReadMutation = parsed(graphql(`
  mutation MarkNotificationsRead($ids: [ID!]) {
    markNotificationsRead(ids: $ids)
  }
`));

export const SavePreferencesMutation = parsed(graphql(`
  mutation SaveNotificationPreferences($input: [NotificationPreferenceInput!]!) {
    saveNotificationPreferences(input: $input) {
      kind
      inApp
      email
      digest
    }
  }
`));

export const WebhookSubscriptionsQuery = parsed(graphql(`
  query WebhookSubscriptions {
    webhookSubscriptions {
      id
      name
      url
      eventTypes
      filters
      enabled
      failuresInRow
      disabledAt
      createdAt
    }
  }
`));

export const SaveWebhookMutation = parsed(graphql(`
  mutation SaveWebhookSubscription($input: WebhookSubscriptionInput!, $id: ID) {
    saveWebhookSubscription(input: $input, id: $id) {
      id
      name
      url
      secret
      eventTypes
      filters
      enabled
      failuresInRow
      disabledAt
      createdAt
    }
  }
`));

export const WebhookDeliveriesQuery = parsed(graphql(`
  query WebhookDeliveries($subscriptionId: ID, $status: WebhookDeliveryStatus, $after: String) {
    webhookDeliveries(subscriptionId: $subscriptionId, status: $status, first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          subscriptionId
          messageId
          eventType
          status
          attempts
          nextAttemptAt
          lastStatusCode
          lastError
          replayOf
          createdAt
          deliveredAt
        }
      }
    }
  }
`));

export const ReplayDeliveryMutation = parsed(graphql(`
  mutation ReplayWebhookDelivery($id: ID!) {
    replayWebhookDelivery(id: $id) {
      id
      status
      attempts
      lastStatusCode
    }
  }
`));
