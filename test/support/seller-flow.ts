import {
  AcceptSignatureTermsFullDocument,
  SignatureTermsFullDocument,
} from '../generated/operations';
import type { GraphQLClient } from './labels';

/** Accepts the current signature terms as the seller, so signature options can be bought. */
export async function acceptCurrentTerms(server: GraphQLClient, token: string): Promise<void> {
  const terms = await server.gql(SignatureTermsFullDocument, {}, token);
  const version = terms.data?.signatureTerms?.version;
  if (!version) throw new Error(`no current signature terms: ${JSON.stringify(terms)}`);
  const accepted = await server.gql(
    AcceptSignatureTermsFullDocument,
    { input: { version } },
    token,
  );
  const errors = accepted.data?.acceptSignatureTerms.userErrors ?? accepted.errors;
  if (errors?.length) throw new Error(`accepting terms failed: ${JSON.stringify(errors)}`);
}
