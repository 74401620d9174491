/** Where the gateway is: `/config.js`, written by the server from its environment, sets it. */
declare global {
  interface Window {
    CRM_CONFIG?: { graphqlUrl?: string };
  }
}

export const graphqlUrl = window.CRM_CONFIG?.graphqlUrl ?? '/graphql';
