import type { EntityManager } from 'typeorm';
import { LessThanOrEqual, Not } from 'typeorm';
import type { RequestContext } from '../core/request-context';
import { ServiceSignatureOption, SignatureTerms, TermsAcceptance } from '../entities';
import type { CarrierService } from '../entities';
import { SignatureOption } from '../entities/enums';
import { isUniqueViolation } from '../db/errors';
import { UserErrorCode, fail } from '../core/user-error';
import type { ServiceDeps } from './deps';
import type { Clock } from '../core/clock';
import { SIGNATURE_OPTION_ORDER } from './label-rules';
import { requireSeller } from '../auth/guards';

export interface SignatureFeeView {
  service: CarrierService;
  option: SignatureOption;
  carrierCode: string | null;
  feeMinor: number;
  currency: string;
  feeSource: string | null;
}

export interface SignatureTermsView {
  terms: SignatureTerms;
  fees: SignatureFeeView[];
  /** When this seller accepted this version; null when not (yet). */
  acceptedAt: Date | null;
}

export interface AcceptSignatureTermsResult {
  signatureTerms: SignatureTermsView;
}

/** Where a seller stands with the signature terms. */
export interface TermsStanding {
  current: SignatureTerms | null;
  acceptedAt: Date | null;
  /** Nothing to agree to: no terms are published, or the current version is accepted. */
  satisfied: boolean;
}

/**
 * The signature-service terms a seller agrees to once before buying a signature option; the
 * newest version in effect (published at or before now) is current, and a new version asks again.
 */
export class SignatureTermsService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly clock: Clock,
  ) {}

  async view(ctx: RequestContext): Promise<SignatureTermsView | null> {
    const { sellerId } = requireSeller(ctx);
    const standing = await this.standing(this.deps.db.manager, sellerId);
    return standing.current ? this.viewOf(standing.current, standing.acceptedAt) : null;
  }

  async accept(
    ctx: RequestContext,
    input: { version: string },
  ): Promise<AcceptSignatureTermsResult> {
    const { sellerId, tokenId } = requireSeller(ctx);
    const current = await this.currentTerms(this.deps.db.manager);
    if (!current || current.version !== input.version) {
      fail(
        UserErrorCode.TERMS_VERSION_NOT_CURRENT,
        current
          ? `The current signature terms are version ${current.version}; read them and accept that version.`
          : 'No signature terms are published.',
        ['input', 'version'],
      );
    }
    const acceptedAt = await this.deps.db
      .transaction(async (tx) => {
        const existing = await tx.manager.findOne(TermsAcceptance, {
          where: { sellerId, termsVersion: current.version },
        });
        if (existing) return existing.acceptedAt;
        const now = this.clock();
        await tx.manager.insert(TermsAcceptance, {
          sellerId,
          termsVersion: current.version,
          acceptedByTokenId: tokenId,
          acceptedAt: now,
        });
        return now;
      })
      .catch(async (error: unknown) => {
        // Two sessions of one seller accepted at once: the first acceptance stands.
        if (!isUniqueViolation(error)) throw error;
        const row = await this.deps.db.manager.findOneOrFail(TermsAcceptance, {
          where: { sellerId, termsVersion: current.version },
        });
        return row.acceptedAt;
      });
    return { signatureTerms: await this.viewOf(current, acceptedAt) };
  }

  /** The current terms and whether this seller has accepted them (quotes and purchases ask). */
  async standing(manager: EntityManager, sellerId: number): Promise<TermsStanding> {
    const current = await this.currentTerms(manager);
    if (!current) return { current: null, acceptedAt: null, satisfied: true };
    const acceptance = await manager.findOne(TermsAcceptance, {
      where: { sellerId, termsVersion: current.version },
    });
    const acceptedAt = acceptance?.acceptedAt ?? null;
    return { current, acceptedAt, satisfied: acceptedAt !== null };
  }

  /** The newest version in effect; one published for a later date is not current yet. */
  private currentTerms(manager: EntityManager): Promise<SignatureTerms | null> {
    return manager.findOne(SignatureTerms, {
      where: { publishedAt: LessThanOrEqual(this.clock()) },
      order: { publishedAt: 'DESC', version: 'DESC' },
    });
  }

  /** The fee schedule: every supported signature option of every service, from the catalog. */
  private async viewOf(
    terms: SignatureTerms,
    acceptedAt: Date | null,
  ): Promise<SignatureTermsView> {
    const options = await this.deps.db.manager.find(ServiceSignatureOption, {
      where: { supported: true, option: Not(SignatureOption.NONE) },
      relations: { service: true },
    });
    options.sort(
      (a, b) =>
        a.service!.sortOrder - b.service!.sortOrder ||
        a.service!.id - b.service!.id ||
        SIGNATURE_OPTION_ORDER.indexOf(a.option) - SIGNATURE_OPTION_ORDER.indexOf(b.option),
    );
    return {
      terms,
      acceptedAt,
      fees: options.map((o) => ({
        service: o.service!,
        option: o.option,
        carrierCode: o.carrierCode,
        feeMinor: o.feeMinor,
        currency: o.feeCurrency,
        feeSource: o.feeSource,
      })),
    };
  }
}
