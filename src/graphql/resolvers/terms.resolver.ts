import { money } from '../../core/money';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { payload } from '../payload';
import {
  AcceptSignatureTermsInput,
  AcceptSignatureTermsPayload,
  SignatureFeeType,
  SignatureTermsType,
} from '../types/terms.type';
import type { SignatureTermsView } from '../../services/signature-terms.service';

@Resolver(() => SignatureTermsType)
export class SignatureTermsResolver {
  @Query(() => SignatureTermsType, {
    nullable: true,
    description:
      'The current signature terms, their fee schedule, and when you accepted them (sellers only); null when none are published.',
  })
  signatureTerms(@Ctx() ctx: GraphQLContext): Promise<SignatureTermsView | null> {
    return ctx.services.signatureTerms.view(ctx);
  }

  @Mutation(() => AcceptSignatureTermsPayload, {
    description: 'Records that you accept the current signature terms (who, which version, when).',
  })
  acceptSignatureTerms(
    @Arg('input', () => AcceptSignatureTermsInput, { description: 'The version accepted.' })
    input: AcceptSignatureTermsInput,
    @Ctx() ctx: GraphQLContext,
  ) {
    return payload(() => ctx.services.signatureTerms.accept(ctx, input));
  }

  @FieldResolver(() => String, {
    description: 'Version, e.g. "2026-11"; pass it to acceptSignatureTerms.',
  })
  version(@Root() view: SignatureTermsView): string {
    return view.terms.version;
  }

  @FieldResolver(() => String, { description: 'The terms, in plain words.' })
  text(@Root() view: SignatureTermsView): string {
    return view.terms.text;
  }

  @FieldResolver(() => Date, { description: 'When this version took effect.' })
  publishedAt(@Root() view: SignatureTermsView): Date {
    return view.terms.publishedAt;
  }

  @FieldResolver(() => [SignatureFeeType], {
    description:
      'What each supported signature option costs, per carrier service (from the catalog).',
  })
  fees(@Root() view: SignatureTermsView): SignatureFeeType[] {
    return view.fees.map((f) => ({
      carrier: f.service.carrier,
      service: f.service,
      option: f.option,
      carrierCode: f.carrierCode,
      fee: money(f.feeMinor, f.currency),
      feeSource: f.feeSource,
    }));
  }
}
