import { randomBytes } from 'node:crypto';
import { requireAdmin, requireViewer } from '../auth/guards';
import { hashToken } from '../auth/token-hash';
import { isAdmin, isPlatform } from '../auth/viewer';
import type { Clock } from '../core/clock';
import { forbidden } from '../core/errors';
import type { Page } from '../core/page';
import type { RequestContext } from '../core/request-context';
import { UserErrorCode, decodeId, fail } from '../core/user-error';
import type { Database } from '../db/database';
import { ApiToken, Buyer, Seller } from '../entities';
import { Role } from '../entities/enums';
import { keysetPage } from './pagination';
import type { PageArgs } from './pagination';

/** Longest token name (`api_tokens.label`). */
export const MAX_TOKEN_NAME = 120;

/** What a new token is for: its role, a name for people, and whose it is (sellers, buyers). */
export interface TokenSpec {
  role: Role;
  name: string;
  sellerId?: number | null;
  buyerId?: number | null;
}

/** A token just issued: its row, and the secret, which exists nowhere else from now on. */
export interface IssuedToken {
  token: ApiToken;
  secret: string;
}

/** Roles a PLATFORM integration may issue and revoke: the parties it brings in, never staff. */
const PLATFORM_ISSUES: readonly Role[] = [Role.SELLER, Role.BUYER];

/**
 * `cs_live_<role>_<43 chars of base64url>`: 256 random bits, in the dev tokens' visible format
 * (`cs_dev_…`) so a leaked token's kind can be told at a glance, as Stripe's `sk_live_` prefixes do.
 */
export function newTokenSecret(role: Role): string {
  return `cs_live_${role.toLowerCase()}_${randomBytes(32).toString('base64url')}`;
}

/**
 * API tokens: issued, listed and revoked. The one implementation behind both `npm run token`
 * (the operator with database access, `issue`/`revokeById`/`page`) and the GraphQL mutations
 * (`create`/`revoke`/`list`, which add who may do it). Only the SHA-256 of a secret is stored.
 */
export class ApiTokenService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** createApiToken: staff issue any role; a PLATFORM integration SELLER and BUYER tokens. */
  async create(
    ctx: RequestContext,
    input: { role: Role; name: string; sellerId?: string | null; buyerId?: string | null },
  ): Promise<IssuedToken> {
    this.mayManage(ctx, input.role);
    return this.issue({
      role: input.role,
      name: input.name,
      sellerId: input.sellerId ? decodeId(input.sellerId, 'Seller', ['input', 'sellerId']) : null,
      buyerId: input.buyerId ? decodeId(input.buyerId, 'Buyer', ['input', 'buyerId']) : null,
    });
  }

  /** revokeApiToken: the same policy as issuing, applied to the token's role. */
  async revoke(ctx: RequestContext, input: { id: string }): Promise<{ token: ApiToken }> {
    const viewer = requireViewer(ctx);
    if (!isAdmin(viewer) && !isPlatform(viewer)) throw this.refused();
    const id = decodeId(input.id, 'ApiToken', ['input', 'id']);
    return this.revokeById(id, (token) => this.mayManage(ctx, token.role));
  }

  /** apiTokens: staff only, newest first; never a secret (only its hash is stored anyway). */
  list(ctx: RequestContext, args: PageArgs): Promise<Page<ApiToken>> {
    requireAdmin(ctx);
    return this.page(args);
  }

  /** node(id) of an ApiToken: staff only, like the list. */
  async findVisible(ctx: RequestContext, id: number): Promise<ApiToken | null> {
    const viewer = requireViewer(ctx);
    if (!isAdmin(viewer)) return null;
    return this.db.manager.findOneBy(ApiToken, { id });
  }

  /** Issues a token without asking who wants it: the CLI's path, and `create`'s after its check. */
  async issue(spec: TokenSpec): Promise<IssuedToken> {
    if (!Object.values(Role).includes(spec.role)) {
      fail(UserErrorCode.INVALID_INPUT, `Unknown role; one of ${Object.values(Role).join(', ')}.`, [
        'input',
        'role',
      ]);
    }
    const name = validName(spec.name);
    const { sellerId, buyerId } = owner(spec);
    const secret = newTokenSecret(spec.role);
    return this.db.transaction(async ({ manager: m }) => {
      if (sellerId !== null && !(await m.existsBy(Seller, { id: sellerId }))) {
        fail(UserErrorCode.SELLER_NOT_FOUND, 'No seller has this id.', ['input', 'sellerId']);
      }
      if (buyerId !== null && !(await m.existsBy(Buyer, { id: buyerId }))) {
        fail(UserErrorCode.BUYER_NOT_FOUND, 'No buyer has this id.', ['input', 'buyerId']);
      }
      const token = m.create(ApiToken, {
        tokenHash: hashToken(secret),
        role: spec.role,
        sellerId,
        buyerId,
        label: name,
        createdAt: this.clock(),
        revokedAt: null,
      });
      await m.insert(ApiToken, token);
      return { token, secret };
    });
  }

  /**
   * Revokes a token (at once: every request and open WebSocket re-checks it); revoking a revoked
   * token changes nothing. `check` may refuse after seeing the token's role.
   */
  async revokeById(
    id: number,
    check: (token: ApiToken) => void = () => {},
  ): Promise<{ token: ApiToken }> {
    return this.db.transaction(async ({ manager: m }) => {
      const token = await m.findOneBy(ApiToken, { id });
      if (!token) {
        fail(UserErrorCode.API_TOKEN_NOT_FOUND, 'No API token has this id.', ['input', 'id']);
      }
      check(token);
      if (!token.revokedAt) {
        token.revokedAt = this.clock();
        await m.update(ApiToken, { id }, { revokedAt: token.revokedAt });
      }
      return { token };
    });
  }

  /** Tokens newest first, revoked ones included. */
  page(args: PageArgs): Promise<Page<ApiToken>> {
    return keysetPage(this.db.manager.createQueryBuilder(ApiToken, 't'), 't', 'createdAt', args);
  }

  private mayManage(ctx: RequestContext, role: Role): void {
    const viewer = requireViewer(ctx);
    if (isAdmin(viewer)) return;
    if (isPlatform(viewer) && PLATFORM_ISSUES.includes(role)) return;
    throw this.refused();
  }

  private refused() {
    return forbidden('Only platform staff, or a platform integration for sellers and buyers');
  }
}

function validName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0 || name.length > MAX_TOKEN_NAME || /\p{Cc}/u.test(name)) {
    fail(
      UserErrorCode.INVALID_INPUT,
      `The name must be 1 to ${MAX_TOKEN_NAME} printable characters.`,
      ['input', 'name'],
    );
  }
  return name;
}

/** A SELLER token names its seller, a BUYER token its buyer; staff and platform tokens neither. */
function owner(spec: TokenSpec): { sellerId: number | null; buyerId: number | null } {
  const sellerId = spec.sellerId ?? null;
  const buyerId = spec.buyerId ?? null;
  const needs = { seller: spec.role === Role.SELLER, buyer: spec.role === Role.BUYER };
  if (needs.seller !== (sellerId !== null)) {
    fail(
      UserErrorCode.INVALID_INPUT,
      needs.seller ? 'A SELLER token needs sellerId.' : `A ${spec.role} token takes no sellerId.`,
      ['input', 'sellerId'],
    );
  }
  if (needs.buyer !== (buyerId !== null)) {
    fail(
      UserErrorCode.INVALID_INPUT,
      needs.buyer ? 'A BUYER token needs buyerId.' : `A ${spec.role} token takes no buyerId.`,
      ['input', 'buyerId'],
    );
  }
  return { sellerId, buyerId };
}
