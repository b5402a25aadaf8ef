import { SignJWT, jwtVerify } from 'jose';

const SESSION_HOURS = 8;

/**
 * `epoch` is the user's session epoch when the token was issued: logging out or changing the password moves the
 * user's epoch on, which revokes every token issued before (checked on each request against the stored user).
 */
export interface SessionClaims { userId: string; epoch: number }

export class SessionTokens {
  private readonly key: Uint8Array;
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(userId: string, epoch: number): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
    const token = await new SignJWT({ ep: epoch })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .setIssuer('fairreview')
      .sign(this.key);
    return { token, expiresAt };
  }

  /** The claims of a valid, unexpired token, or undefined. */
  async verify(token: string): Promise<SessionClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: 'fairreview', algorithms: ['HS256'] });
      return payload.sub ? { userId: payload.sub, epoch: typeof payload.ep === 'number' ? payload.ep : 0 } : undefined;
    } catch {
      return undefined;
    }
  }
}

export const SESSION_COOKIE = 'fr_session';
