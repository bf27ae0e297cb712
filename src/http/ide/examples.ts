/** An example operation the IDE opens as a tab. */
export interface IdeExample {
  /** The operation; name it, since GraphiQL titles the tab after the operation name. */
  query: string;
  /** JSON text for the variables editor. */
  variables?: string;
}

/**
 * Example operations prefilled as IDE tabs, in order. Only fields that exist in
 * schema/schema.graphql belong here (test/graphiql.test.ts validates every example against the
 * schema); append new examples as operations land.
 */
export const ideExamples: IdeExample[] = [
  {
    query: `# Who the token in the Headers tab below acts as.
query Viewer {
  viewer {
    role
    seller {
      id
      name
    }
    buyer {
      id
      name
    }
  }
}
`,
  },
  {
    query: `# Your newest orders.
query Orders($first: Int = 10) {
  orders(first: $first) {
    edges {
      cursor
      node {
        id
        number
        status
        totals {
          total {
            amount
            currencyCode
          }
        }
        items {
          sku
          title
        }
        shipTo {
          city
          region
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`,
    variables: '{ "first": 10 }',
  },
  {
    query: `# The carrier catalog: which services carry which signature option, and the fee.
query CarrierServices {
  carrierServices {
    id
    carrier
    code
    name
    signatureOptions {
      option
      supported
      carrierCode
      fee {
        amount
        currencyCode
      }
      unavailableReason
    }
  }
}
`,
  },
];
