// The dashboard's client of the access API (core/api-access.ts): sign-in, who am I, users, tokens, audit.

import type { AddUserRequest, AuditResponse, CreateTokenRequest, Me, NewTokenResponse, SignInRequest, SignInResponse, TokenView, TotpResponse, UserView } from '../../core/api-access.js';
import type { AuditEvent } from '../../core/ports/store.js';
import type { ApiClient } from './api-client.js';

export class AccessClient {
  constructor(private readonly api: ApiClient) {}

  async #json<T>(method: string, path: string, body?: unknown): Promise<T | null> {
    const res = await this.api.send(path, {
      method,
      ...(body !== undefined && { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return res.status === 204 ? null : ((await res.json()) as T);
  }

  async signIn(request: SignInRequest): Promise<SignInResponse> {
    return (await this.#json<SignInResponse>('POST', '/api/session', request))!;
  }

  async signOut(): Promise<void> {
    await this.#json('DELETE', '/api/session');
  }

  async me(): Promise<Me> {
    return (await this.#json<{ me: Me }>('GET', '/api/me'))!.me;
  }

  async users(): Promise<UserView[]> {
    return (await this.#json<{ users: UserView[] }>('GET', '/api/users'))?.users ?? [];
  }

  async addUser(request: AddUserRequest): Promise<UserView> {
    return (await this.#json<{ user: UserView }>('POST', '/api/users', request))!.user;
  }

  async removeUser(name: string): Promise<void> {
    await this.#json('DELETE', `/api/users/${encodeURIComponent(name)}`);
  }

  async enableTotp(name: string): Promise<TotpResponse> {
    return (await this.#json<TotpResponse>('POST', `/api/users/${encodeURIComponent(name)}/totp`))!;
  }

  async tokens(): Promise<TokenView[]> {
    return (await this.#json<{ tokens: TokenView[] }>('GET', '/api/tokens'))?.tokens ?? [];
  }

  async createToken(request: CreateTokenRequest): Promise<NewTokenResponse> {
    return (await this.#json<NewTokenResponse>('POST', '/api/tokens', request))!;
  }

  async revokeToken(id: number): Promise<void> {
    await this.#json('DELETE', `/api/tokens/${id}`);
  }

  async rotateToken(id: number): Promise<NewTokenResponse> {
    return (await this.#json<NewTokenResponse>('POST', `/api/tokens/${id}/rotate`))!;
  }

  async audit(app?: string): Promise<AuditEvent[]> {
    const query = new URLSearchParams({ limit: '200', ...(app !== undefined && app !== '' && { app }) });
    return (await this.#json<AuditResponse>('GET', `/api/audit?${query.toString()}`))?.events ?? [];
  }
}
