window.CRM_CONFIG = { graphqlUrl: "/graphql" };
