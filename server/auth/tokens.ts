import { SignJWT, jwtVerify } from 'jose';

const SESSION_HOURS = 8;

export interface SessionClaims { userId: string }

export class SessionTokens {
  private readonly key: Uint8Array;
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
    const token = await new SignJWT({})
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
      return payload.sub ? { userId: payload.sub } : undefined;
    } catch {
      return undefined;
    }
  }
}

export const SESSION_COOKIE = 'fr_session';
