// The subset of Caddy 2.6 JSON config Slipway writes, as types, plus the settings it is built from.

/** ACME issuer; with no `ca` Caddy uses Let's Encrypt production. */
export interface AcmeSettings {
  readonly ca?: string;
  readonly email?: string;
  /** PEM files (paths inside the edge container) Caddy trusts for the ACME server's own TLS, e.g. Pebble's. */
  readonly trustedRootsPemFiles?: readonly string[];
}

export interface EdgeSettings {
  /** Admin endpoint inside the container, e.g. unix//run/edge/admin.sock. */
  readonly adminListen: string;
  /** Certificate storage inside the container, under the /data mount. */
  readonly storageRoot: string;
  readonly acme: AcmeSettings;
  /** How long reverse_proxy keeps retrying a refused dial (a task going away mid-rollout). */
  readonly upstreamTryDuration: string;
  readonly upstreamTryInterval: string;
}

export interface CaddyAdmin {
  readonly listen: string;
  readonly origins: readonly string[];
  /** Slipway persists the config itself (the file the container starts from), so Caddy's autosave is off. */
  readonly config: { readonly persist: boolean };
}

export interface CaddyUpstream {
  readonly dial: string;
}

export interface CaddyReverseProxy {
  readonly handler: 'reverse_proxy';
  readonly upstreams: readonly CaddyUpstream[];
  readonly load_balancing: { readonly try_duration: string; readonly try_interval: string };
}

export interface CaddyRoute {
  readonly match: readonly [{ readonly host: readonly [string] }];
  readonly handle: readonly [CaddyReverseProxy];
  readonly terminal: true;
}

export interface CaddyServer {
  readonly listen: readonly string[];
  readonly protocols: readonly string[];
  readonly routes: readonly CaddyRoute[];
}

export interface CaddyHttpApp {
  readonly http_port: number;
  readonly https_port: number;
  readonly servers: Readonly<Record<string, CaddyServer>>;
}

export interface CaddyAcmeIssuer {
  readonly module: 'acme';
  readonly ca?: string;
  readonly email?: string;
  readonly trusted_roots_pem_files?: readonly string[];
}

export interface CaddyTlsApp {
  readonly automation: { readonly policies: readonly [{ readonly issuers: readonly [CaddyAcmeIssuer] }] };
}

export interface CaddyConfig {
  readonly admin: CaddyAdmin;
  readonly storage?: { readonly module: 'file_system'; readonly root: string };
  readonly apps?: { readonly http: CaddyHttpApp; readonly tls: CaddyTlsApp };
}
