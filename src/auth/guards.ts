import type { RequestContext } from '../core/request-context';
import { forbidden, unauthenticated } from '../core/errors';
import { isAdmin, isPlatform, isSeller } from './viewer';
import type { Viewer } from './viewer';

/** Any valid token; without one, UNAUTHENTICATED. */
export function requireViewer(ctx: RequestContext): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}

/** A seller's own action (labels, quotes, terms, risk settings); other roles are FORBIDDEN. */
export function requireSeller(ctx: RequestContext): Viewer & { sellerId: number } {
  const viewer = requireViewer(ctx);
  if (!isSeller(viewer)) throw forbidden('Only a seller can do this');
  return viewer;
}

/** Platform staff only; other roles are FORBIDDEN. */
export function requireAdmin(ctx: RequestContext): Viewer {
  const viewer = requireViewer(ctx);
  if (!isAdmin(viewer)) throw forbidden('Only platform staff can do this');
  return viewer;
}

/** Intake (sellers, buyers, orders): platform staff or a PLATFORM integration; others FORBIDDEN. */
export function requireIntake(ctx: RequestContext): Viewer {
  const viewer = requireViewer(ctx);
  if (!isAdmin(viewer) && !isPlatform(viewer)) {
    throw forbidden('Only platform staff or a platform integration can do this');
  }
  return viewer;
}
