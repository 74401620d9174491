import { graphql } from '../../gql';

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

export const TasksQuery = graphql(`
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
`);

export const CompleteTaskMutation = graphql(`
  mutation CompleteTask($id: ID!) {
    completeTask(id: $id) {
      id
      status
      completedAt
    }
  }
`);

export const CreateTaskMutation = graphql(`
  mutation CreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      ...TaskItem
    }
  }
`);
