import { graphql } from '../../gql';
import { parsed } from '../../api/document';

export const TaskItemFragment = graphql(`
  fragment TaskItem on Task {
    id
    title
    notes
    dueAt
    status
    completedAt
    accountId
    assignee {
      id
      displayName
    }
  }
`);

export const TasksQuery = parsed(graphql(`
  query Tasks($filter: TaskFilter, $first: Int! = 100, $after: String) {
    tasks(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...TaskItem
        }
      }
    }
  }
`));

export const CompleteTaskMutation = parsed(graphql(`
  mutation CompleteTask($id: ID!) {
    completeTask(id: $id) {
      id
      status
      completedAt
    }
  }
`));

export const CreateTaskMutation = parsed(graphql(`
  mutation CreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      ...TaskItem
    }
  }
`));
